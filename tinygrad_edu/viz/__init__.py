"""Pictures: computation graphs with gradient flow (graphviz) and gradient reports."""
from .flow import GradientFlow
from .graph import draw_graph
from .renderer import RendererNotFound, find_renderer, render
from .report import gradient_chart_svg, gradient_report, gradient_table

__all__ = ["draw_graph", "render", "find_renderer", "RendererNotFound", "GradientFlow",
           "gradient_report", "gradient_table", "gradient_chart_svg"]
