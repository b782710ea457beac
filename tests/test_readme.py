"""The README's Python snippets run as written (in order, in a scratch folder)."""
import os
import re

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def test_readme_python_snippets_run(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", open(README, encoding="utf-8").read(), re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    exec(compile("\n".join(blocks), "README.md", "exec"), {})
    assert (tmp_path / "model.safetensors").exists() and (tmp_path / "loss.svg").exists()
    assert (tmp_path / "m.safetensors").exists()
    assert "1.0 2.0" in capsys.readouterr().out   # a.grad, b.grad as the README says
