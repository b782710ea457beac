"""The example notebook runs top to bottom in a real IPython kernel, and its outputs hold
the interactive stepper (HTML) and the graph (SVG)."""
import os

import nbformat
from nbclient import NotebookClient

NOTEBOOK = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "notebooks", "backprop_in_a_notebook.ipynb")


def test_the_notebook_runs_and_shows_the_stepper(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    pages = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(pages) == 4 and all('class="tg-stepper"' in p and "<svg" in p for p in pages)
    assert "∂y/∂x" in pages[3] and "chain rule" in pages[3]  # a gradient as a graph of its own
    assert '"predict":false' in pages[0] and '"predict":true' in pages[2]
    assert "0.weight" in pages[1]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)  # draw_graph's picture
