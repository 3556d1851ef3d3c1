"""What the terminal quiz itself says, in English and Korean (``--lang``).

The questions carry their own texts per language; this module holds only the quiz's words
around them: the commands, the verdict lines, the end-of-session summary and ``stats``. A student
may type a command in either language (``hint`` or ``힌트``). The checker's own explanations
("expected shape (2, 3), got (3, 2)") come from `studykit.questions.checking`, in the same two
languages.
"""

from __future__ import annotations

__all__ = ["COMMAND_ALIASES", "WORDS", "words"]

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "commands": "type an answer, or: hint, skip, solution, quit",
        "prompt": "answer> ",
        "start": "studykit {mode} · {count} questions · seed {seed} (answer, or type hint, skip, "
        "solution, quit)",
        "no_hint": "No hint for this one: try the worked formula.",
        "the_answer": "The answer: {answer}",
        "not_understood": "Not understood: {error}. ({commands})",
        "correct": "✓ Correct ({seconds:.0f} s).",
        "not_quite": "✗ Not quite{detail}.",
        "solution_title": "worked solution",
        "stopped": "Stopped early: every answer given so far is saved.",
        "input_ended": "The input ended before the session did: every answer given so far is "
        "saved.",
        "too_long": "That line is too long (more than {limit} characters): it was not read. "
        "({commands})",
        "summary": "{right}/{asked} right in {seconds:.0f} s",
        "topic": "topic",
        "right": "right",
        "asked": "asked",
        "review_next": "Review next: {topics} (run studykit review when they are due).",
        "next_review": "Next review: {when} ({stamp} UTC).",
        "due_now": "due now",
        "in_minutes": "next one in {n} min",
        "in_hours": "next one in {n} h",
        "in_days": "next one in {n} days",
        "nothing_due": "Nothing is due for review ({when}).",
        "drills_due": "Drills due for review (write each again from a fresh stub; your last "
        "attempt is kept beside it):",
        "nothing_scheduled": "Nothing is due for review (nothing scheduled yet: take a quiz "
        "first).",
        "stats_title": "{right}/{answers} right overall",
        "accuracy": "accuracy",
        "no_answers": "No answers yet: start with `studykit quiz`.",
        "streak": "Streak: {n} day(s)",
        "due_counts": "Due today: {today}, this week: {week}",
        "weakest": "Weakest topics: {topics}",
        "drill_stats": "Drills: {passed} of {tried} tried passed ({per_topic}); {checks} checks; "
        "due today: {due}",
    },
    "ko": {
        "prompt": "답> ",
        "commands": "답을 입력하거나 힌트(hint), 건너뛰기(skip), 풀이(solution), 종료(quit) 중 "
        "하나를 입력하십시오",
        "start": "studykit {mode} · {count}문제 · 시드 {seed} (답이나 힌트, 건너뛰기, 풀이, 종료를 "
        "입력하십시오)",
        "no_hint": "이 문제에는 힌트가 없습니다. 공식을 따라 풀어 보십시오.",
        "the_answer": "정답: {answer}",
        "not_understood": "읽을 수 없는 답입니다: {error}. ({commands})",
        "correct": "✓ 정답입니다 ({seconds:.0f}초).",
        "not_quite": "✗ 아쉽습니다{detail}.",
        "solution_title": "풀이 과정",
        "stopped": "중간에 멈췄습니다: 지금까지 한 답은 모두 저장되었습니다.",
        "input_ended": "입력이 끝나 중간에 멈췄습니다: 지금까지 한 답은 모두 저장되었습니다.",
        "too_long": "줄이 너무 깁니다({limit}자 초과): 읽지 않았습니다. ({commands})",
        "summary": "{asked}문제 중 {right}개 정답 ({seconds:.0f}초)",
        "topic": "주제",
        "right": "정답",
        "asked": "문제",
        "review_next": "다음에 복습할 주제: {topics}. 때가 되면 studykit review를 실행하십시오.",
        "next_review": "다음 복습: {when} ({stamp} UTC).",
        "due_now": "지금",
        "in_minutes": "{n}분 뒤",
        "in_hours": "{n}시간 뒤",
        "in_days": "{n}일 뒤",
        "nothing_due": "지금 복습할 문제가 없습니다. 다음 복습: {when}.",
        "drills_due": "복습할 드릴(새 파일에서 다시 작성합니다. 지난 시도는 옆에 남겨 둡니다):",
        "nothing_scheduled": "아직 예정된 복습이 없습니다. 먼저 퀴즈(studykit quiz)를 푸십시오.",
        "stats_title": "전체 {answers}문제 중 {right}개 정답",
        "accuracy": "정답률",
        "no_answers": "아직 푼 문제가 없습니다. studykit quiz로 시작해 보십시오.",
        "streak": "연속 학습: {n}일",
        "due_counts": "복습할 문제: 오늘 {today}개, 이번 주 {week}개",
        "weakest": "가장 약한 주제: {topics}",
        "drill_stats": "드릴: 시도한 {tried}개 중 {passed}개 통과({per_topic}), 검사 {checks}회, "
        "오늘 복습할 드릴 {due}개",
    },
}

# Korean spellings of the commands (the English ones work in every language).
COMMAND_ALIASES = {
    "힌트": "hint",
    "건너뛰기": "skip",
    "넘기기": "skip",
    "풀이": "solution",
    "종료": "quit",
    "그만": "quit",
}


def words(lang: str) -> dict[str, str]:
    """The quiz's words in ``lang`` (English for a language it does not speak)."""
    return WORDS.get(lang, WORDS["en"])
