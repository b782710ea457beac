"""Step-through backprop in the terminal: frames, their rendering, and the driver."""
from .driver import Stepper, check_answer
from .frames import Frame, Question, Row, build_frames
from .render import frame_text, render_frame

__all__ = ["Stepper", "check_answer", "Frame", "Question", "Row", "build_frames",
           "frame_text", "render_frame"]
