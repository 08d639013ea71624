using System.Text;
using System.Text.Json;

namespace Plugboard.Server.Http;

/// One pass over a JSON request body before anything binds it. What passes is a document the server can
/// store and write back out: at most <see cref="MaxDepth"/> levels deep below the body, no string or
/// property name with a lone UTF-16 surrogate (an escaped \uD800-\uDFFF without its pair: no UTF-8 text
/// holds one, so nothing could serialize it again) or a NUL (PostgreSQL text cannot hold one).
/// Errors name the JSON path, never the value.
public static class JsonBodyScan
{
    /// How deep a field's value may nest objects and arrays (a body `{"metadata":{...}}` may hold a metadata
    /// object with 32 levels, itself included). Responses wrap stored JSON in a few more levels (page, item,
    /// step), which stays far under the serializer's own limit of 64.
    public const int MaxDepth = 32;

    private const int MaxFieldLength = 200;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth + 2 };

    /// Null when the body passes; else the VALIDATION error to answer with.
    public static ApiError? Check(ReadOnlySpan<byte> body, bool requireObject)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return ApiError.Validation("The request body is required: send a JSON object.");
        }
        var reader = new Utf8JsonReader(body, ReaderOptions);
        var path = new List<Segment>();
        try
        {
            reader.Read();
            if (requireObject && reader.TokenType != JsonTokenType.StartObject)
            {
                return ApiError.Validation($"The request body must be a JSON object, not {Describe(reader.TokenType)}.");
            }
            do
            {
                if (Token(ref reader, path) is { } error)
                {
                    return error;
                }
            }
            while (reader.Read());
            return null;
        }
        catch (JsonException)
        {
            var field = Field(path);
            return field is null
                ? ApiError.Validation("The request body is not valid JSON.")
                : ApiError.Validation($"The request body is not valid JSON: it breaks in {field}.", field);
        }
    }

    private static ApiError? Token(ref Utf8JsonReader reader, List<Segment> path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                Advance(path);
                if (reader.CurrentDepth > MaxDepth)
                {
                    var field = Field(path);
                    return ApiError.Validation($"{field ?? "The request body"} nests objects and arrays more than {MaxDepth} levels deep.", field);
                }
                path.Add(reader.TokenType == JsonTokenType.StartArray ? Segment.Array() : Segment.Object());
                return null;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                path.RemoveAt(path.Count - 1);
                return null;
            case JsonTokenType.PropertyName:
                // A bad name is reported at its object: the name itself cannot be written out.
                if (TextError(ref reader, path, isName: true) is { } nameError)
                {
                    return nameError;
                }
                path[^1] = path[^1] with { Name = reader.GetString() };
                return null;
            case JsonTokenType.String:
                Advance(path);
                return TextError(ref reader, path, isName: false);
            default:
                Advance(path);
                return null;
        }
    }

    /// Only escaped text can hold a surrogate or a NUL: raw UTF-8 is validated by the reader and raw control
    /// characters are not valid JSON. The path is spelled out only for an error.
    private static ApiError? TextError(ref Utf8JsonReader reader, List<Segment> path, bool isName)
    {
        if (!reader.ValueIsEscaped)
        {
            return null;
        }
        string? text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = null;
        }
        var loneSurrogate = text is null || StorableText.HasLoneSurrogate(text);
        if (!loneSurrogate && !text!.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var field = Field(path, withLastName: !isName);
        var subject = isName ? $"A property name in {field ?? "the request body"}" : field ?? "The request body";
        return loneSurrogate
            ? ApiError.Validation(
                $"{subject} holds an unpaired UTF-16 surrogate (an escaped \\uD800-\\uDFFF without its pair), which is not text and cannot be stored.", field)
            : ApiError.Validation($"{subject} must not contain the NUL character (\\u0000).", field);
    }

    /// The next value in an array gets the next index; in an object the property name already says where.
    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    /// `metadata.a[0].b`; null at the body's root. Without the last name: the object whose property name is read.
    private static string? Field(List<Segment> path, bool withLastName = true)
    {
        var text = new StringBuilder();
        for (var i = 0; i < path.Count; i++)
        {
            var segment = i == path.Count - 1 && !withLastName ? path[i] with { Name = null } : path[i];
            if (segment.IsArray)
            {
                if (segment.Index >= 0)
                {
                    text.Append('[').Append(segment.Index).Append(']');
                }
            }
            else if (segment.Name is { } name)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(name);
            }
            if (text.Length > MaxFieldLength)
            {
                return StorableText.Clip(text.ToString(), MaxFieldLength) + "…";
            }
        }
        return text.Length == 0 ? null : text.ToString();
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        JsonTokenType.Null => "null",
        _ => "that",
    };

    private readonly record struct Segment(bool IsArray, int Index, string? Name)
    {
        public static Segment Array() => new(true, -1, null);

        public static Segment Object() => new(false, 0, null);
    }
}
