"""Understanding what merchants write: a model learned from example phrasings.

Keyword lists cannot keep up with how merchants type ("所定了咋整", "qiandao shibai", "别的卡
都能刷就这张不行"). Here a linear classifier learns, from phrasings written as content
(``content/examples/``), which label a text belongs to. The engine knows texts and
labels, not the tree: the triage app decides what the labels are and what to do with a reading.

One concept per module: ``features`` (what a text looks like to the model: character n-grams
and their sounds, after search's own normalisation: pinyin read as hanzi, homophone slips
corrected, synonyms), ``model`` (training, once per content version, and scoring),
``store`` (the trained model on disk, so a new process loads it instead of training), and
``evaluation`` (k-fold cross-validation, for the bench).

Trust boundary: a text is visitor input. It is bounded by search's query parser (200
characters) before any feature is made, and nothing of it is kept.
"""
