using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Plugboard.Client.Http;

/// The contract's spelling of an enum value (its [JsonStringEnumMemberName]), for query strings.
internal static class ContractNames
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Names.GetOrAdd(value, v =>
        {
            var name = v.ToString();
            return v.GetType().GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
        });
}
