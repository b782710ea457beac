"""The exercise command and the sandbox: usage errors, never overwriting, Gradescope's
results.json, hints, the failing case's page, and learner code that raises, loops,
eats memory or does not parse (each a clear report, the file never modified)."""
import hashlib
import json

import pytest

from tinygrad_edu import exercises
from tinygrad_edu.exercises.gradescope import TEST_KEYS, TOP_KEYS
from tinygrad_edu.teach.cli import main

# The keys Gradescope's autograder specification documents for results.json.
GRADESCOPE_TOP = {"score", "execution_time", "output", "visibility", "stdout_visibility",
                  "extra_data", "tests", "leaderboard"}
GRADESCOPE_TEST = {"score", "max_score", "name", "number", "output", "tags", "visibility",
                   "extra_data"}


def run(capsys, *argv):
    code = main(["exercise", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def learner_file(folder, name, body):
    """DIR/NAME.py as the learner left it: the template with ``body`` appended."""
    exercises.start(name, str(folder))
    path = folder / f"{name}.py"
    path.write_text(path.read_text() + "\n\n" + body + "\n")
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_list_is_in_course_order(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == exercises.names()


def test_start_writes_the_task_and_never_overwrites_an_edited_file(tmp_path, capsys):
    folder = tmp_path / "ex"
    code, out, _ = run(capsys, "start", "tanh", "--dir", str(folder))
    text = (folder / "tanh.py").read_text()
    assert code == 0 and "is ready" in out
    assert "def derivative(x, out):" in text and "raise NotImplementedError" in text
    assert "Worked example" in text and "1 - out" not in text   # the task, not the answer
    assert run(capsys, "start", "tanh", "--dir", str(folder))[0] == 0   # unchanged: fine
    (folder / "tanh.py").write_text(text + "\n# my work\n")
    code, _, err = run(capsys, "start", "tanh", "--dir", str(folder))
    assert code == 1 and "has your changes: not overwritten" in err
    assert (folder / "tanh.py").read_text().endswith("# my work\n")


def test_usage_errors_are_one_line_and_status_2(tmp_path, capsys):
    code, _, err = run(capsys, "start", "tanhh", "--dir", str(tmp_path))
    assert code == 2 and "no exercise named 'tanhh'" in err and "tanh" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "check", "--dir", str(tmp_path / "nowhere"))
    assert code == 2 and "no such folder" in err
    (tmp_path / "afile").write_text("")
    code, _, err = run(capsys, "grade", "--dir", str(tmp_path / "afile"))
    assert code == 2 and "is a file, not a folder" in err
    code, _, err = run(capsys, "check", "--dir", str(tmp_path))
    assert code == 2 and "no exercise files" in err
    with pytest.raises(SystemExit) as e:
        main(["exercise", "grade"])
    assert e.value.code == 2


def test_check_of_a_missing_file_says_how_to_start_it(tmp_path, capsys):
    code, out, _ = run(capsys, "check", "pow", "--dir", str(tmp_path))
    assert code == 1 and "does not exist" in out and "exercise start pow" in out


def test_check_right_wrong_and_the_page_of_the_failing_case(tmp_path, capsys):
    learner_file(tmp_path, "tanh", "from tinygrad_edu.exercises.tasks.tanh import derivative")
    path = learner_file(tmp_path, "mul",
                        "def backward(a, b, upstream):\n    return -upstream * b, -upstream * a")
    before = digest(path)
    page = tmp_path / "page.html"
    code, out, _ = run(capsys, "check", "--dir", str(tmp_path), "--html", str(page))
    assert code == 1
    assert "tanh: right" in out and "mul: wrong." in out and "looks like: sign error" in out
    assert "1 of 2 right" in out
    html = page.read_text()
    assert "first wrong gradient: " in html and "yours: dL/da = -1 (WRONG)" in html
    assert "the first wrong one, dL/da, is at frame" in html
    assert digest(path) == before
    assert not (tmp_path / "__pycache__").exists()   # importing it wrote nothing beside it
    assert run(capsys, "check", "tanh", "--dir", str(tmp_path))[0] == 0


def test_grade_json_is_gradescope_results(tmp_path, capsys):
    learner_file(tmp_path, "mul", "from tinygrad_edu.exercises.tasks.mul import backward")
    code, out, _ = run(capsys, "grade", "--dir", str(tmp_path), "--json")
    printed = json.loads(out)
    written = json.loads((tmp_path / "results.json").read_text())
    assert code == 0 and printed == written
    assert set(written) <= GRADESCOPE_TOP and set(TOP_KEYS) <= GRADESCOPE_TOP
    assert {"score", "tests"} <= set(written)
    assert [t["name"] for t in written["tests"]] == exercises.names()
    for t in written["tests"]:
        assert set(t) <= GRADESCOPE_TEST and {"name", "score", "max_score", "output"} <= set(t)
    assert set(TEST_KEYS) <= GRADESCOPE_TEST
    assert written["score"] == 1.0 and written["tests"][0]["score"] == 1.0
    assert written["tests"][1]["score"] == 0.0 and "does not exist" in written["tests"][1]["output"]


def test_hints_come_one_at_a_time_and_are_remembered(tmp_path, capsys):
    shown = [run(capsys, "hint", "pow", "--dir", str(tmp_path))[1] for _ in range(4)]
    assert [s.split(":")[0] for s in shown] == ["hint 1 of 3 for pow", "hint 2 of 3 for pow",
                                                "hint 3 of 3 for pow", "hint 3 of 3 for pow"]
    assert json.loads((tmp_path / ".hints.json").read_text()) == {"pow": 3}


def test_an_exception_in_the_file_is_reported_with_its_line(tmp_path):
    path = learner_file(tmp_path, "tanh", "def derivative(x, out):\n    return out / (x - x)")
    outcome = exercises.check("tanh", str(tmp_path))
    assert outcome.status == "error"
    assert "derivative raised ZeroDivisionError" in outcome.message
    assert "of tanh.py: return out / (x - x)" in outcome.message
    assert "Traceback" not in outcome.message
    path.write_text("def derivative(x, out)\n    return 1\n")
    outcome = exercises.check("tanh", str(tmp_path))
    assert outcome.status == "error" and "does not parse" in outcome.message and "line 1" in outcome.message


def test_an_endless_loop_is_stopped_and_its_line_named(tmp_path):
    learner_file(tmp_path, "tanh", "def derivative(x, out):\n    while True:\n        pass")
    outcome = exercises.check("tanh", str(tmp_path))
    assert outcome.status == "timeout"
    assert "derivative took more than 2 s and was stopped" in outcome.message
    assert "of tanh.py: while True:" in outcome.message


def test_a_file_that_never_finishes_importing_is_stopped_at_the_time_limit(tmp_path):
    learner_file(tmp_path, "tanh", "while True:\n    pass")
    # 1 s, not 3: the loop never ends, so any limit is reached (3.0 s -> 1.0 s)
    outcome = exercises.check("tanh", str(tmp_path), seconds=1)
    assert outcome.status == "timeout" and "stopped after 1 s" in outcome.message


def test_eating_memory_is_stopped_by_the_limit(tmp_path):
    # 1.6 GB: more than the check's 1 GiB limit, though the machine may well have it
    learner_file(tmp_path, "tanh", "import numpy as np\n\n\ndef derivative(x, out):\n"
                                   "    return float(np.ones(200_000_000).sum())")
    outcome = exercises.check("tanh", str(tmp_path))
    assert outcome.status == "error" and "MemoryError" in outcome.message
    assert "more memory than the check allows" in outcome.message


def test_exiting_the_process_is_reported(tmp_path):
    learner_file(tmp_path, "mul", "import os\nos._exit(3)")
    outcome = exercises.check("mul", str(tmp_path))
    assert outcome.status == "error" and "exited with status 3" in outcome.message


def test_printing_without_end_is_stopped_at_the_output_limit(tmp_path):
    """Printed output goes to a file capped at 1 MB: it once went through a pipe into the
    checker's memory, 4.3 GB in 10 s."""
    import resource
    import time
    learner_file(tmp_path, "tanh", "import sys\n\n\ndef derivative(x, out):\n    while True:\n"
                                   "        sys.stdout.write('y' * 100_000)")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = exercises.check("tanh", str(tmp_path))
    assert time.perf_counter() - start < 2
    assert outcome.status == "error" and "File too large" in outcome.message
    assert "stops printed output at 1 MB" in outcome.message and "line 27 of tanh.py" in outcome.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000   # KiB
