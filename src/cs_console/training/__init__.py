"""Training for new hires: scenario files, the rubric that grades a handling, and quizzes.

Pure: no Textual and no SQL; the service layer runs practice shifts and stores the results.
"""
