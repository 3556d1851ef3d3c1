"""The gradients topic's worked example: back-propagation, accumulation and vanishing."""

from __future__ import annotations

from studykit.site.examples._format import Example, join, num, table


def gradients_example() -> Example:
    """A derivative by back-propagation and by finite differences; accumulation; vanishing.

    Returns:
        The snippet in English and Korean.
    """
    from studykit.autograd import Value, numerical_grad

    x = Value(2.0, label="x")
    y = x * x + 3 * x
    y.backward()
    slope = numerical_grad(lambda t: t * t + 3 * t, 2.0)

    a, b, c = Value(3.0), Value(4.0), Value(10.0)
    f = a * a + b * b + c * c
    f.backward()
    first = [a.grad, b.grad, c.grad]
    f.backward()
    second = [a.grad, b.grad, c.grad]
    f.zero_grad()
    cleared = [a.grad, b.grad, c.grad]

    depth = 10
    z = Value(0.0)
    h = z
    for _ in range(depth):
        h = h.sigmoid()
    h.backward()
    at_zero = Value(0.0)
    at_zero.sigmoid().backward()
    max_slope = at_zero.grad  # the sigmoid's largest slope, at 0
    bound = max_slope**depth

    def triple(values: list[float]) -> str:
        return ", ".join(num(v) for v in values)

    value, by_backprop, by_differences = num(y.data), num(x.grad), num(slope)
    grads = [triple(first), triple(second), triple(cleared)]
    power = f"\\({num(max_slope)}^{{{depth}}}\\)"
    en = join(
        "With `studykit.autograd.Value`, a scalar that records how it was computed:",
        table(
            ["quantity", "value"],
            [
                ["\\(y = x^2 + 3x\\) at \\(x = 2\\)", value],
                ["\\(dy/dx\\) by back-propagation (`y.backward()`)", by_backprop],
                ["\\(dy/dx\\) by central differences (`numerical_grad`)", by_differences],
            ],
        ),
        "The notes' vector example: \\(f = a^2 + b^2 + c^2\\) at \\((a, b, c) = (3, 4, 10)\\) "
        f"is {num(f.data)}, a scalar, so it can be back-propagated.",
        table(
            ["after", "grads of (a, b, c)"],
            [
                ["one `backward()`", grads[0]],
                ["a second `backward()`", grads[1]],
                ["`zero_grad()`", grads[2]],
            ],
        ),
        "Gradients **add up** in `.grad` until they are reset, which is why every training step "
        "starts with `zero_grad()`.",
        f"Vanishing gradients: {depth} sigmoids stacked on \\(x = 0\\) pass back a gradient of "
        f"{num(z.grad)}, below the bound {power} = {num(bound)} "
        f"(each sigmoid multiplies by its slope, at most {num(max_slope)}, at 0).",
    )
    ko = join(
        "`studykit.autograd.Value`로 계산합니다. `Value`는 자신이 어떻게 계산되었는지 "
        "기록하는 스칼라입니다.",
        table(
            ["구하는 것", "값"],
            [
                ["\\(x = 2\\)에서 \\(y = x^2 + 3x\\)의 값", value],
                ["역전파로 구한 \\(dy/dx\\)(`y.backward()`)", by_backprop],
                ["중앙 차분으로 구한 \\(dy/dx\\)(`numerical_grad`)", by_differences],
            ],
        ),
        "노트의 벡터 예제입니다. \\((a, b, c) = (3, 4, 10)\\)에서 \\(f = a^2 + b^2 + c^2\\)의 "
        f"값은 {num(f.data)}입니다. 스칼라이므로 역전파할 수 있습니다.",
        table(
            ["시점", "(a, b, c)의 기울기"],
            [
                ["`backward()` 한 번 호출 뒤", grads[0]],
                ["`backward()` 두 번째 호출 뒤", grads[1]],
                ["`zero_grad()` 뒤", grads[2]],
            ],
        ),
        "기울기는 초기화하기 전까지 `.grad`에 **누적됩니다**. 그래서 학습 스텝은 언제나 "
        "`zero_grad()` 호출로 시작합니다.",
        f"기울기 소실: \\(x = 0\\) 위에 시그모이드를 {depth}개 쌓으면 거꾸로 전달되는 기울기는 "
        f"{num(z.grad)}입니다. 이 값은 상한 {power} = {num(bound)}보다 작습니다(시그모이드마다 "
        f"자신의 기울기를 곱하는데, 그 기울기는 0에서 가장 크며 최대 {num(max_slope)}입니다).",
    )
    return Example(en, ko)
