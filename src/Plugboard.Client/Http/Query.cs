using System.Globalization;
using System.Text;

namespace Plugboard.Client.Http;

/// A query string built from optional values: a null value is left out, everything is escaped.
internal sealed class Query
{
    private readonly StringBuilder _text = new();

    public Query Add(string name, string? value)
    {
        if (value is not null)
        {
            _text.Append(_text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return this;
    }

    public Query Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// An instant in UTC, ISO 8601 round-trip form (e.g. 2026-01-31T09:00:00.0000000Z).
    public Query Add(string name, DateTimeOffset? value) => Add(name, value?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    public Query Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public Query Add<TEnum>(string name, TEnum? value) where TEnum : struct, Enum =>
        Add(name, value is null ? null : ContractNames.Of(value.Value));

    public Query AddEach<TEnum>(string name, IEnumerable<TEnum>? values) where TEnum : struct, Enum
    {
        foreach (var value in values ?? [])
        {
            Add(name, ContractNames.Of(value));
        }
        return this;
    }

    public Query AddMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            Add("metadata." + key, value);
        }
        return this;
    }

    public string Of(string path) => path + _text;

    /// A path with each segment escaped: ids and externalIds are data, never route syntax.
    public static string Path(string format, params string[] segments) =>
        string.Format(CultureInfo.InvariantCulture, format, segments.Select(s => (object)Uri.EscapeDataString(s)).ToArray());
}
