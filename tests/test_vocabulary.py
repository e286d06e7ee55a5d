from __future__ import annotations

from seq2seq.vocabulary import EOS_ID, PAD_ID, SOS_ID, UNK_ID, Vocabulary


def test_specials_come_first_and_rare_tokens_become_unk(tmp_path):
    vocab = Vocabulary.build([["a", "b", "a"], ["a", "c", "b"]], min_freq=2)
    assert vocab.idx2word[:6] == ["<pad>", "<unk>", "<sos>", "<eos>", "a", "b"]
    assert (PAD_ID, UNK_ID, SOS_ID, EOS_ID) == (0, 1, 2, 3)
    assert vocab.encode(["a", "c", "zzz"]) == [4, UNK_ID, UNK_ID]
    assert vocab.decode([4, UNK_ID]) == ["a", "<unk>"]
    vocab.save(tmp_path / "v.json")
    assert Vocabulary.load(tmp_path / "v.json").idx2word == vocab.idx2word
