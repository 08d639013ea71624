using System.Diagnostics.CodeAnalysis;

namespace Plugboard.Server.Http;

/// A value, or the contract error that stands in its place: what a check or a step of a request gives back
/// when its failure is an expected answer (a 400, 404 or 409), not an exception. Either converts implicitly,
/// so `return value;` and `return ApiError.Validation(...);` both read as what they are.
public readonly struct Outcome<T>
    where T : notnull
{
    private Outcome(T? value, ApiError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public ApiError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ApiError? error)
    {
        if (Succeeded)
        {
            (value, error) = (Value, null);
            return true;
        }
        (value, error) = (default, Error);
        return false;
    }

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ApiError error) => new(default, error);
}
