"""Step-through backprop in the terminal: frames, their rendering, and the driver."""
from .driver import Stepper, check_answer
from .frames import Change, Frame, Question, Row, build_frames, display_names
from .render import frame_text, render_frame

__all__ = ["Stepper", "check_answer", "Change", "Frame", "Question", "Row", "build_frames", "display_names",
           "frame_text", "render_frame"]
