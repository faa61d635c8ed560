import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# ONNX exports of the tests' models go to a folder of this run (engine subprocesses inherit it), never
# to the user's cache.
os.environ.setdefault("GLACIER_TERMINUS_CACHE", tempfile.mkdtemp(prefix="glacier-terminus-test-cache-"))
