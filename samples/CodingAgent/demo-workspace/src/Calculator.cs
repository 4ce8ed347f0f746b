namespace Calculator;

public static class Calculator
{
    public static int Add(int left, int right) => left + right;

    // TODO: refuse a zero divisor with a clear message.
    public static int Divide(int dividend, int divisor) => dividend / divisor;
}
