// storyguard writer's page: send the draft to /v1/lint and show the findings inline.
// Everything is built with DOM nodes and textContent, never innerHTML, so the draft and the
// server's messages can hold any markup without running it.
(function () {
  'use strict';

  var SEVERITY_ORDER = { info: 0, warning: 1, error: 2 };
  var FORMAT_BY_EXTENSION = { txt: 'text', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', json: 'social-json', jsonl: 'social-json' };

  var form = document.getElementById('check-form');
  var draft = document.getElementById('draft');
  var fileInput = document.getElementById('file');
  var formatSelect = document.getElementById('format');
  var langSelect = document.getElementById('lang');
  var tokenInput = document.getElementById('token');
  var button = document.getElementById('check');
  var statusLine = document.getElementById('status');
  var results = document.getElementById('results');
  var rendered = document.getElementById('rendered');
  var explain = document.getElementById('explain');
  var list = document.getElementById('findings');
  var count = document.getElementById('count');
  var filename = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.className = isError ? 'error' : '';
  }

  fileInput.addEventListener('change', function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file) return;
    filename = file.name;
    var extension = (file.name.split('.').pop() || '').toLowerCase();
    if (FORMAT_BY_EXTENSION[extension]) formatSelect.value = FORMAT_BY_EXTENSION[extension];
    file.text().then(function (text) { draft.value = text; setStatus('Loaded ' + file.name + '.', false); },
      function () { setStatus('Could not read ' + file.name + '.', true); });
  });
  draft.addEventListener('input', function () { filename = null; });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    check();
  });

  function check() {
    // The exact string sent is the one rendered: server offsets index into it.
    var content = draft.value;
    var body = { content: content, format: formatSelect.value, lang: langSelect.value };
    if (filename) body.filename = filename;
    var headers = { 'Content-Type': 'application/json' };
    if (tokenInput.value.trim()) headers.Authorization = 'Bearer ' + tokenInput.value.trim();
    button.disabled = true;
    setStatus('Checking…', false);
    fetch('v1/lint', { method: 'POST', headers: headers, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; },
          function () { return { ok: false, status: response.status, data: null }; });
      })
      .then(function (result) {
        if (!result.ok) {
          var message = result.data && result.data.error ? result.data.error.message : 'HTTP ' + result.status;
          setStatus('Check failed: ' + message, true);
          return;
        }
        show(content, result.data);
      })
      .catch(function (error) { setStatus('Could not reach the server: ' + error, true); })
      .then(function () { button.disabled = false; });
  }

  // Offsets are Unicode code points; JS strings are UTF-16. Array.from splits by code point,
  // so cps[i] is the i-th code point even for emoji or rare CJK outside the BMP.
  function show(content, report) {
    var file = report.files[0];
    results.hidden = false;
    explain.hidden = true;
    rendered.textContent = '';
    list.textContent = '';
    document.getElementById('version').textContent = report.tool.version;
    if (file.error) {
      setStatus('The draft could not be read: ' + file.error.message, true);
      rendered.textContent = content;
      count.textContent = '';
      return;
    }
    var findings = file.findings;
    findings.forEach(function (finding, index) { finding._id = index; });
    count.textContent = '(' + findings.length + ')';
    setStatus(findings.length ? findings.length + ' finding(s).' : 'No findings. 未发现问题。', false);
    renderDraft(Array.from(content), findings);
    findings.forEach(function (finding) { list.appendChild(listItem(finding)); });
    (file.notices || []).forEach(function (notice) { list.appendChild(el('li', 'notice', 'Note: ' + notice.message)); });
  }

  function renderDraft(cps, findings) {
    // Cut the text at every start and end, then mark each piece with the findings covering it;
    // overlapping findings thus stay visible without nesting elements.
    var cuts = [0, cps.length];
    findings.forEach(function (f) { cuts.push(clamp(f.start.offset, cps.length), clamp(f.end.offset, cps.length)); });
    cuts = Array.from(new Set(cuts)).sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var from = cuts[i], to = cuts[i + 1];
      var text = cps.slice(from, to).join('');
      var covering = findings.filter(function (f) { return f.start.offset <= from && to <= f.end.offset && f.start.offset < f.end.offset; });
      if (!covering.length) { rendered.appendChild(document.createTextNode(text)); continue; }
      var span = el('span', 'hl ' + worst(covering), text);
      span.tabIndex = 0;
      span.setAttribute('role', 'button');
      span.dataset.findings = covering.map(function (f) { return f._id; }).join(' ');
      span.title = covering.map(function (f) { return f.rule + ' ' + f.name + ': ' + f.message; }).join('\n');
      rendered.appendChild(span);
    }
  }

  function clamp(value, max) { return Math.max(0, Math.min(value, max)); }

  function worst(findings) {
    return findings.reduce(function (best, f) { return SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[best] ? f.severity : best; }, 'info');
  }

  function listItem(finding) {
    var item = el('li', finding.severity);
    item.id = 'finding-' + finding._id;
    item.dataset.finding = String(finding._id);
    item.appendChild(el('span', 'code', finding.rule));
    item.appendChild(el('span', 'meta', finding.name + ' · ' + finding.severity + ' · ' + finding.category +
      ' · line ' + finding.start.line + ', col ' + finding.start.column));
    item.appendChild(el('div', 'message', finding.message));
    if (finding.suggestion) item.appendChild(el('div', 'suggestion', 'Suggestion · 建议: ' + finding.suggestion));
    item.appendChild(references(finding.references));
    item.addEventListener('click', function () { activate([finding._id], false); });
    return item;
  }

  function references(refs) {
    var box = el('div', 'refs', 'References · 依据: ');
    refs.forEach(function (ref) {
      var safe = /^https?:\/\//i.test(ref.url);  // never a javascript: or data: link
      var link = el(safe ? 'a' : 'span', null, ref.id);
      if (safe) { link.href = ref.url; link.target = '_blank'; link.rel = 'noopener noreferrer'; }
      link.title = ref.title;
      box.appendChild(link);
    });
    return box;
  }

  function findingsOf(span) {
    return span.dataset.findings.split(' ').map(Number);
  }

  function activate(ids, fromDraft) {
    document.querySelectorAll('.active').forEach(function (node) { node.classList.remove('active'); });
    ids.forEach(function (id) {
      var item = document.getElementById('finding-' + id);
      if (item) item.classList.add('active');
    });
    rendered.querySelectorAll('.hl').forEach(function (span) {
      if (findingsOf(span).some(function (id) { return ids.indexOf(id) >= 0; })) span.classList.add('active');
    });
    if (fromDraft) showExplanation(ids);
    else {
      var first = rendered.querySelector('.hl.active');
      if (first) first.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  }

  function showExplanation(ids) {
    explain.textContent = '';
    ids.forEach(function (id) {
      var item = document.getElementById('finding-' + id);
      if (!item) return;
      var copy = item.cloneNode(true);  // the list entry already holds message, suggestion, references
      copy.removeAttribute('id');
      var wrapper = el('div', 'explain-item');
      wrapper.appendChild(copy);
      explain.appendChild(wrapper);
    });
    explain.hidden = false;
  }

  rendered.addEventListener('click', function (event) {
    var span = event.target.closest('.hl');
    if (span) activate(findingsOf(span), true);
  });
  rendered.addEventListener('keydown', function (event) {
    var span = event.target.closest('.hl');
    if (span && (event.key === 'Enter' || event.key === ' ')) { event.preventDefault(); activate(findingsOf(span), true); }
  });
  rendered.addEventListener('mouseover', function (event) {
    var span = event.target.closest('.hl');
    if (span) showExplanation(findingsOf(span));
  });
})();
