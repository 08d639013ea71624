namespace Plugboard.Server.Http;

/// Text the server can store on both engines and write back out as JSON: no NUL (PostgreSQL text cannot hold
/// one) and no lone UTF-16 surrogate (no UTF-8 encodes one, so the JSON writer refuses it).
public static class StorableText
{
    public static bool IsStorable(string text) => !text.Contains('\0', StringComparison.Ordinal) && !HasLoneSurrogate(text);

    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// At most `max` characters, never cutting a surrogate pair in half.
    public static string Clip(string text, int max) =>
        text.Length <= max ? text : text[..(max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];

    /// Foreign text (a provider's error message) made storable: NUL and lone surrogates become U+FFFD.
    public static string Repair(string text)
    {
        if (IsStorable(text))
        {
            return text;
        }
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (chars[i] == '\0' || char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }
}
