using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Plugboard.Server.Http;

/// Maps enums to and from their wire names (the JsonStringEnumMemberName, e.g. SECRET_TEXT).
public static class WireEnum<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<string, T> ByName = typeof(T)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, f => (T)f.GetValue(null)!, StringComparer.Ordinal);

    private static readonly FrozenDictionary<T, string> ToWire = ByName.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out T value) => ByName.TryGetValue(name ?? "", out value);

    public static string Name(T value) => ToWire[value];
}
