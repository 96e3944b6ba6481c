"""jieba's part-of-speech tagger with a faster Viterbi search for words not in its dictionary.

Tagging unknown words (most Chinese given names) runs jieba's HMM over 256 (position, tag)
states; its search scores every pair of states for every character and was most of the time
spent on Chinese text. This search visits only pairs joined by a transition, which gives the
same path: a pair with no transition scores minus infinity in jieba's search and can never
win while a joined pair exists. Where jieba would fall back (no joined pair at all), its own
search runs. Results are identical; tests compare the two on Chinese text.
"""

from __future__ import annotations

from collections.abc import Iterator

import jieba.posseg
from jieba.posseg import POSTokenizer, char_state_tab_P, emit_P, pair, start_P, trans_P
from jieba.posseg.viterbi import MIN_FLOAT
from jieba.posseg.viterbi import viterbi as jieba_viterbi

State = tuple[str, str]  # (B/M/E/S position in the word, part-of-speech tag)


class TransitionIndex:
    """jieba's transitions, indexed by the state they lead into."""

    def __init__(self) -> None:
        self.all_states = frozenset(trans_P)
        self.into: dict[State, dict[State, float]] = {}
        for before, successors in trans_P.items():
            for after, probability in successors.items():
                self.into.setdefault(after, {})[before] = probability
        self.sources = {state: frozenset(found) for state, found in self.into.items()}
        self.leads_on = frozenset(state for state, successors in trans_P.items() if successors)


def viterbi(index: TransitionIndex, observed: str) -> list[State]:
    """The most likely state per character, exactly as jieba.posseg.viterbi finds it."""
    first = observed[0]
    scores = {state: start_P[state] + emit_P[state].get(first, MIN_FLOAT)
              for state in char_state_tab_P.get(first, index.all_states)}
    links: list[dict[State, State]] = [{}]
    for char in observed[1:]:
        previous = scores.keys() & index.leads_on
        step_scores, step_links = {}, {}
        for state in char_state_tab_P.get(char, index.all_states):
            joined = index.sources.get(state, frozenset()) & previous
            if not joined:
                continue
            into, emit = index.into[state], emit_P[state].get(char, MIN_FLOAT)
            # The same sums in the same order, and the same tie-break (the larger state), as
            # jieba's max over (score, state) tuples.
            score, best = max((scores[before] + into[before] + emit, before) for before in joined)
            step_scores[state], step_links[state] = score, best
        if not step_scores:  # jieba's fallback path: let jieba decide
            return jieba_viterbi(observed, char_state_tab_P, start_P, trans_P, emit_P)[1]
        scores = step_scores
        links.append(step_links)
    state = max((score, state) for state, score in scores.items())[1]
    route = [state] * len(observed)
    for position in range(len(observed) - 1, 0, -1):
        state = links[position][state]
        route[position - 1] = state
    return route


class FastPOSTokenizer(POSTokenizer):
    """jieba's POSTokenizer with the faster search for unknown words; output unchanged."""

    def __init__(self, tokenizer) -> None:
        super().__init__(tokenizer)
        self._transitions = TransitionIndex()

    def load_word_tag(self, f) -> None:
        """Importing jieba.posseg already read the default dictionary's tags (for its global
        tagger): copy them rather than read the file a second time (half a second). A copy,
        because user words added to this tagger must not reach jieba's global one."""
        shared = jieba.posseg.dt
        if self.tokenizer.dictionary != shared.tokenizer.dictionary:
            super().load_word_tag(f)
            return
        f.close()
        self.word_tag_tab = dict(shared.word_tag_tab)

    # Overrides POSTokenizer's private __cut (its name is mangled), which jieba calls for each
    # run of characters not in its dictionary; the word-building below mirrors it.
    def _POSTokenizer__cut(self, sentence: str) -> Iterator[pair]:
        route = viterbi(self._transitions, sentence)
        begin, after_last = 0, 0
        for i, char in enumerate(sentence):
            position, tag = route[i]
            if position == "B":
                begin = i
            elif position == "E":
                yield pair(sentence[begin:i + 1], tag)
                after_last = i + 1
            elif position == "S":
                yield pair(char, tag)
                after_last = i + 1
        if after_last < len(sentence):
            yield pair(sentence[after_last:], route[after_last][1])
