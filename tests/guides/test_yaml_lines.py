"""guides/yaml_lines.py: YAML that keeps lines for editors and never raises."""

from guides import yaml_lines

TEXT = """\
codes:
  - code: 03
    meaning: 无效商户
    meaning: 重复
    list: [03, 51]
"""


def test_mappings_remember_lines_and_values_as_written(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(TEXT, encoding="utf-8")
    data, problems = yaml_lines.load(path)
    entry = data["codes"][0]
    assert yaml_lines.line_of(entry) == 2
    assert yaml_lines.line_of(entry, "list") == 5
    assert yaml_lines.line_of(entry, "missing") == 2
    assert yaml_lines.line_of("not a mapping") == 0
    assert entry["code"] == 3 and entry.written["code"] == "03"
    assert entry.written["list"] == ["03", "51"]
    # A key written twice: the later wins, and the editor is told where.
    assert entry["meaning"] == "重复"
    assert problems == [(4, "meaning 写了两次（后一个会覆盖前一个）")]


def test_loading_never_raises(tmp_path):
    assert yaml_lines.load(tmp_path / "missing.yaml") == (None, [(0, "文件不存在")])
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe")
    assert yaml_lines.load(bad) == (None, [(0, "文件不是 UTF-8 编码")])
    bad.write_text("a: [1,\nb: 2\n", encoding="utf-8")
    data, problems = yaml_lines.load(bad)
    assert data is None and problems[0][0] == 3 and problems[0][1].startswith("YAML 格式错误")
