using System.Text.Json;

namespace Plugboard.Server.Http;

/// Checks on request fields; each failure names the field, in the contract's VALIDATION error.
public static class Validate
{
    public static ApiError? Text(string? value, string field, bool required = true, int max = 255)
    {
        if (value is null)
        {
            return required ? ApiError.Validation($"{field} is required.", field) : null;
        }
        if (value.Length == 0 || string.IsNullOrWhiteSpace(value))
        {
            return ApiError.Validation($"{field} must not be empty.", field);
        }
        if (value.Length > max)
        {
            return ApiError.Validation($"{field} must be at most {max} characters.", field);
        }
        if (value.Any(char.IsControl))
        {
            return ApiError.Validation($"{field} must not contain control characters.", field);
        }
        if (StorableText.HasLoneSurrogate(value))
        {
            return ApiError.Validation($"{field} holds an unpaired UTF-16 surrogate, which is not text.", field);
        }
        return null;
    }

    /// Metadata is a JSON object or null; anything else is a 400.
    public static ApiError? Metadata(JsonElement? metadata, string field = "metadata") =>
        metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) }
            ? ApiError.Validation($"{field} must be an object or null.", field)
            : null;

    public static string? MetadataText(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null;

    public static JsonElement? ParseMetadata(string? text) =>
        text is null ? null : JsonDocument.Parse(text).RootElement.Clone();

    public static ApiError? FirstError(params ApiError?[] errors) => errors.FirstOrDefault(e => e is not null);
}
