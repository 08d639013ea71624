using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Plugboard.Client.Http;

namespace Plugboard.Client.Tests.Contract;

/// Compares an SDK type with a schema of the document, property by property (the JSON names the SDK reads and
/// writes), into nested objects, arrays, the value union and enums. Each difference is one line.
public sealed class SchemaComparison(OpenApiDocument document)
{
    private readonly HashSet<(Type, string)> _seen = [];

    public List<string> Differences { get; } = [];

    public void Compare(Type type, JsonObject schema, string where)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var name = OpenApiDocument.RefName(schema);
        schema = Unwrap(document.Resolve(schema));
        if (!_seen.Add((type, name ?? where)))
        {
            return;
        }
        // An SDK type against "any JSON value" (a schema with only a description): the document gives nothing to compare.
        if (IsOpaqueJson(type) || schema.All(p => p.Key == "description"))
        {
            return;
        }
        if (type.IsEnum)
        {
            CompareEnum(type, schema, where);
            return;
        }
        if (ItemType(type) is { } item)
        {
            if (schema["items"] is JsonObject items)
            {
                Compare(item, items, where + "[]");
            }
            else
            {
                Differences.Add($"{where}: the SDK has a list ({type.Name}), the document does not");
            }
            return;
        }
        if (type == typeof(string) || type.IsPrimitive || type == typeof(DateTimeOffset) || type == typeof(decimal))
        {
            return;
        }
        var info = PlugboardJson.Options.GetTypeInfo(type);
        if (info.PolymorphismOptions is { } polymorphism && schema["discriminator"] is JsonObject discriminator)
        {
            ComparePolymorphic(polymorphism, discriminator, where);
            return;
        }
        CompareObject(info, schema, where);
    }

    private void CompareObject(JsonTypeInfo info, JsonObject schema, string where)
    {
        var sdk = info.Properties.ToDictionary(p => p.Name, p => p.PropertyType);
        var documented = schema["properties"] as JsonObject ?? [];
        foreach (var (property, propertySchema) in documented)
        {
            if (property == "type" && info.Type.IsAssignableTo(typeof(ConnectionValue)))
            {
                continue; // the union's discriminator, written by the serializer
            }
            if (!sdk.TryGetValue(property, out var propertyType))
            {
                Differences.Add($"{where}.{property}: in the document, missing from {info.Type.Name}");
                continue;
            }
            Compare(propertyType, propertySchema!.AsObject(), $"{where}.{property}");
        }
        foreach (var property in sdk.Keys.Where(p => !documented.ContainsKey(p)))
        {
            Differences.Add($"{where}.{property}: on {info.Type.Name}, not in the document");
        }
    }

    private void ComparePolymorphic(JsonPolymorphismOptions polymorphism, JsonObject discriminator, string where)
    {
        var mapping = discriminator["mapping"]!.AsObject();
        var derived = polymorphism.DerivedTypes.ToDictionary(d => (string)d.TypeDiscriminator!, d => d.DerivedType);
        foreach (var (tag, reference) in mapping)
        {
            if (derived.TryGetValue(tag, out var type))
            {
                Compare(type, new JsonObject { ["$ref"] = reference!.GetValue<string>() }, $"{where}<{tag}>");
            }
            else
            {
                Differences.Add($"{where}: the document's {tag} has no SDK type");
            }
        }
        foreach (var tag in derived.Keys.Where(t => !mapping.ContainsKey(t)))
        {
            Differences.Add($"{where}: the SDK's {tag} is not in the document");
        }
    }

    private void CompareEnum(Type type, JsonObject schema, string where)
    {
        var documented = OpenApiDocument.Strings(schema["enum"]).ToHashSet();
        if (documented.Count == 0)
        {
            return; // a plain string in the document: any of the SDK's names is a string
        }
        var sdk = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name).ToHashSet();
        if (!documented.SetEquals(sdk))
        {
            Differences.Add($"{where}: enum {type.Name} is [{string.Join(", ", sdk.Order())}], the document says [{string.Join(", ", documented.Order())}]");
        }
    }

    /// `oneOf: [{type: null}, X]` and `type: [null, object]` are X.
    private JsonObject Unwrap(JsonObject schema)
    {
        if (schema["oneOf"] is JsonArray oneOf && schema["discriminator"] is null)
        {
            var notNull = oneOf.OfType<JsonObject>().Where(s => s["type"]?.GetValueKind() != JsonValueKind.String || s["type"]!.GetValue<string>() != "null").ToList();
            if (notNull.Count == 1)
            {
                return document.Resolve(notNull[0]);
            }
        }
        return schema;
    }

    private static bool IsOpaqueJson(Type type) =>
        type == typeof(JsonElement) || type.IsAssignableTo(typeof(JsonNode)) || type == typeof(object);

    private static Type? ItemType(Type type)
    {
        if (type == typeof(string) || IsOpaqueJson(type))
        {
            return null;
        }
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>)))
        {
            return type.GetGenericArguments()[0];
        }
        return null;
    }
}
