"""The learned reader's engine: features, training, scoring, the stored model, folds."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from search.index import build_index
from tests.factories import guide, make_library
from understanding import evaluation, features, store
from understanding.model import Model, Sample, train

LOCK = guide("unlock", "机器被锁定了怎么解锁", keywords=["锁机", "锁定"])
SIGN = guide("sign-in", "开机签到失败怎么办", keywords=["签到"])


@pytest.fixture
def index(tmp_path):
    library = make_library(tmp_path, LOCK, SIGN)
    from guides.search import guide_documents

    return build_index(guide_documents(library), library.synonyms)


SAMPLES = [
    Sample("机器锁了", "locked"),
    Sample("锁定了打不开", "locked"),
    Sample("屏幕显示终端已锁定", "locked"),
    Sample("签到不了", "sign-in"),
    Sample("开机签到失败", "sign-in"),
    Sample("一直提示请先签到", "sign-in"),
    Sample("怎么做红烧肉", "none"),
    Sample("今天天气怎么样", "none"),
    Sample("机器被锁定", "locked", 0.5),
]


def test_features_read_pinyin_and_slips_like_the_words_they_mean(index):
    typed = features.counts(index, features.parse(index, "qiandao"))
    assert typed["签到"] >= 1
    # A slip nobody listed still shares the sound of the word it stands for.
    slip = features.counts(index, features.parse(index, "所定了"))
    word = features.counts(index, features.parse(index, "锁定了"))
    shared = {f for f in slip if f.startswith(features.SOUND_PREFIX)} & set(word)
    assert f"{features.SOUND_PREFIX}suo ding" in shared


def test_a_paragraph_of_pinyin_is_read_clause_by_clause(index):
    clauses = features.parse(index, "ji qi suo ding le, qian dao shi bai")
    assert [c.text for c in clauses] == ["机器锁定了", "签到失败"]


def test_text_is_bounded_and_nothing_readable_gives_no_clause(index):
    assert features.parse(index, "🙂🙂🙂 !!!") == ()
    long = features.parse(index, "锁" * 5000)
    assert sum(len(c.text) for c in long) <= 200


def test_the_model_learns_labels_and_gives_probabilities(index):
    model = train(index, SAMPLES)
    assert set(model.labels) == {"locked", "sign-in", "none"}
    for text, label in (("pos机锁住了", "locked"), ("签到失败了咋整", "sign-in")):
        found = model.probabilities(index, text)
        assert max(found, key=found.get) == label
        assert sum(found.values()) == pytest.approx(1.0, abs=1e-5)
    # Words the model never saw say nothing.
    assert model.probabilities(index, "🙂") == {}


def test_training_is_deterministic(index):
    one, two = train(index, SAMPLES), train(index, SAMPLES)
    assert one.labels == two.labels and one.rows == two.rows
    assert np.array_equal(one.weights, two.weights) and np.array_equal(one.bias, two.bias)


def test_two_labels_and_one_label_are_handled(index):
    two = train(index, [s for s in SAMPLES if s.label != "none"])
    found = two.probabilities(index, "锁定了")
    assert max(found, key=found.get) == "locked"
    one = train(index, [s for s in SAMPLES if s.label == "locked"])
    assert one.labels == ("locked",)
    assert one.probabilities(index, "锁定了") == {"locked": pytest.approx(1.0)}


def test_folds_deal_each_label_over_every_fold_and_never_test_weak_samples():
    folds = evaluation.folds(SAMPLES, 3)
    assert folds[-1] == -1  # the title-like sample (weight 0.5) is always trained on
    locked = [f for s, f in zip(SAMPLES, folds, strict=True) if s.label == "locked" and f >= 0]
    assert sorted(locked) == [0, 1, 2]


def test_fold_models_test_each_example_once_on_a_model_that_never_saw_it(index):
    tested = []
    for model, held in evaluation.fold_models(index, SAMPLES, k=2):
        assert isinstance(model, Model)
        tested += held
    assert sorted(tested) == [i for i, s in enumerate(SAMPLES) if s.weight == 1.0]


def test_the_model_is_stored_once_and_loaded_by_fingerprint(index, settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    model = train(index, SAMPLES)
    name = store.fingerprint(SAMPLES)
    assert store.load(name) is None
    store.save(name, model)
    loaded = store.load(name)
    assert loaded.labels == model.labels and np.array_equal(loaded.weights, model.weights)
    assert isinstance(loaded.weights, memoryview)  # mapped, not read
    for text in ("机器锁了打不开", "签到失败", "红烧肉"):
        assert loaded.probabilities(index, text) == model.probabilities(index, text)
    # Other samples, another file; so is another way of reading them (synonym groups,
    # English read as Chinese); a torn file is trained again, never an error.
    assert store.fingerprint(SAMPLES[:-1]) != name
    assert store.fingerprint(SAMPLES, reading=((), (("stolen", "被偷"),))) != name
    (tmp_path / "models" / f"{name}.pickle").write_bytes(pickle.dumps("torn")[:5])
    assert store.load(name) is None


def test_weights_that_are_missing_or_short_are_trained_again(index, settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    model = train(index, SAMPLES)
    store.save("x", model)
    weights = tmp_path / "models" / "x.weights"
    assert weights.stat().st_size == 4 * len(model.rows) * len(model.labels)
    weights.write_bytes(weights.read_bytes()[:-4])
    assert store.load("x") is None
    weights.unlink()
    assert store.load("x") is None
    store.save("x", model)  # saved again, loaded again
    assert store.load("x") is not None


def test_without_a_folder_nothing_is_written(index, settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = ""
    store.save("x", train(index, SAMPLES))
    assert store.load("x") is None


def test_the_models_in_use_are_the_ones_kept(index, settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    settings.UNDERSTANDING_MODEL_FILES_KEPT = 2
    model = train(index, SAMPLES)
    store.save("a", model)
    store.save("b", model)
    import os

    os.utime(tmp_path / "models" / "a.pickle", (1, 1))
    os.utime(tmp_path / "models" / "b.pickle", (2, 2))
    assert store.load("a") is not None  # loading it makes it the newest
    # b's weights are old enough not to be a save in progress; "d" is one (no pickle yet).
    os.utime(tmp_path / "models" / "b.weights", (1, 1))
    (tmp_path / "models" / "d.weights").write_bytes(b"")
    store.save("c", model)
    assert sorted(p.stem for p in (tmp_path / "models").glob("*.pickle")) == ["a", "c"]
    assert sorted(p.stem for p in (tmp_path / "models").glob("*.weights")) == ["a", "c", "d"]


def test_a_content_versions_model_name_is_written_down_and_read_back(settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    name = "0123456789abcdef0123456789abcdef01234567"
    assert store.named("v1", b"code") is None
    store.write_name("v1", b"code", name)
    assert store.named("v1", b"code") == name
    # Other content, other code: not this name. No version (content made by hand): nothing.
    assert store.named("v2", b"code") is None
    assert store.named("v1", b"other code") is None
    store.write_name("", b"code", name)
    assert store.named("", b"code") is None
    # A damaged file is no name.
    (file,) = (tmp_path / "models" / "names").iterdir()
    file.write_text("../../etc/passwd", encoding="ascii")
    assert store.named("v1", b"code") is None


def test_only_the_newest_names_are_kept(settings, tmp_path):
    settings.UNDERSTANDING_MODEL_DIR = tmp_path / "models"
    for n in range(store.NAMES_KEPT + 5):
        store.write_name(f"v{n}", b"code", f"{n:040x}")
    assert len(list((tmp_path / "models" / "names").iterdir())) == store.NAMES_KEPT
