"""The landscape topic's worked example: where each topic lives in studykit and in PyTorch."""

from __future__ import annotations

import importlib

from studykit.site.examples._format import Example, join, table

TORCH_SIDE: dict[str, tuple[str, str]] = {
    "tensors": ("torch (ATen operations)", "`torch`(ATen 연산)"),
    "losses": ("torch.nn.functional", "`torch.nn.functional`"),
    "autograd": ("torch.autograd", "`torch.autograd`"),
    "optim": ("torch.optim", "`torch.optim`"),
    "activations": ("torch.nn.functional", "`torch.nn.functional`"),
    "models": ("torch.nn", "`torch.nn`"),
    "conv": ("torch.nn.functional", "`torch.nn.functional`"),
    "pooling": ("torch.nn.functional", "`torch.nn.functional`"),
    "regularization": ("torch.nn.functional", "`torch.nn.functional`"),
    "normalization": ("torch.nn.functional", "`torch.nn.functional`"),
    "preprocessing": ("(pandas, scikit-learn)", "(판다스, 사이킷런)"),
    "data": ("torch.utils.data", "`torch.utils.data`"),
    "rnn": ("torch.nn", "`torch.nn`"),
    "symbolic": ("(sympy; torch.autograd evaluates it)", "(심파이; 값은 `torch.autograd`로 계산)"),
    "landscape": ("(the notes' tables)", "(노트의 표)"),
}
"""The PyTorch side of each reference module, in English and in Korean."""


def landscape_example() -> Example:
    """Where each topic of the map lives in studykit, and what torch package it mirrors.

    Returns:
        The snippet in English and Korean.
    """
    from studykit.catalog import CONCEPTS
    from studykit.site.examples import TOPIC_MODULES
    from studykit.topics import TOPICS

    rows: list[list[str]] = []
    rows_ko: list[list[str]] = []
    for topic in TOPICS:
        modules = TOPIC_MODULES[topic.id]
        where = ", ".join(f"`studykit.{m}`" for m in modules)
        torch_en = ", ".join(dict.fromkeys(TORCH_SIDE[m][0] for m in modules))
        torch_ko = ", ".join(dict.fromkeys(TORCH_SIDE[m][1] for m in modules))
        rows.append([f"{topic.title} ({topic.korean})", where or "this page", torch_en or "—"])
        rows_ko.append([topic.korean, where or "이 페이지", torch_ko or "—"])
    names = sorted({m for ms in TOPIC_MODULES.values() for m in ms})
    counts = [len(importlib.import_module(f"studykit.{m}").__all__) for m in names]
    en = join(
        f"The topic map has {len(TOPICS)} rows. Where each one is implemented in studykit, and "
        "which part of PyTorch the reference code mirrors:",
        table(["topic", "studykit module", "PyTorch counterpart"], rows),
        f"Together the {len(names)} reference modules export {sum(counts)} public names "
        f"(from {min(counts)} to {max(counts)} per module); `studykit concepts` lists "
        f"{len(CONCEPTS)} catalogued concepts with their torch counterparts.",
    )
    ko = join(
        f"주제 지도에는 주제가 {len(TOPICS)}개 있습니다. 각 주제가 studykit의 어느 모듈에 "
        "구현되어 있는지, 참조 코드가 파이토치의 어느 부분에 대응하는지 정리한 표입니다.",
        table(["주제", "studykit 모듈", "대응하는 파이토치 기능"], rows_ko),
        f"참조 모듈 {len(names)}개가 공개하는 이름은 모두 {sum(counts)}개입니다"
        f"(모듈마다 {min(counts)}개에서 {max(counts)}개). `studykit concepts` 명령은 목록에 "
        f"정리된 개념 {len(CONCEPTS)}개를 파이토치의 대응 기능과 함께 보여 줍니다.",
    )
    return Example(en, ko)
