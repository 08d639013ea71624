using Plugboard.Server.Access;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;

namespace Plugboard.Server.Connections;

/// Reading definitions: who sees which, finding one by id or stable key, and their secrets in plain text for use.
public static class DefinitionViews
{
    /// Every definition of the caller's platform; an embedded user only those marked `embedded`.
    public static IQueryable<ConnectionDefinition> VisibleDefinitions(this PlugboardDb db, Caller caller) =>
        caller.IsUser
            ? db.ConnectionDefinitions.Where(d => d.PlatformId == caller.PlatformId && d.Embedded)
            : db.ConnectionDefinitions.Where(d => d.PlatformId == caller.PlatformId);

    /// A route's `{id}`: the definition's id or its stable key.
    public static IQueryable<ConnectionDefinition> ByIdOrKey(this IQueryable<ConnectionDefinition> query, string idOrKey) =>
        query.Where(d => d.Id == idOrKey || d.StableKey == idOrKey);

    /// A connection's value in plain text as it is used: its own part under its definition's global values, and for a
    /// test run the definition's test value instead of the own part, where one is set. Without a definition, its value.
    public static string EffectiveValueOf(this SecretProtector protector, AppConnection row, ConnectionDefinition? definition, bool testRun = false)
    {
        var plaintext = protector.Unprotect(row.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id));
        if (definition is null)
        {
            return plaintext;
        }
        var own = testRun ? protector.TestValueOf(definition) ?? plaintext : plaintext;
        return InheritedValues.Effective(protector.GlobalsOf(definition), own);
    }

    public static string GlobalsOf(this SecretProtector protector, ConnectionDefinition definition) =>
        protector.Unprotect(definition.GlobalValues, InheritedValues.GlobalValuesContext(definition.PlatformId, definition.Id));

    public static string? TestValueOf(this SecretProtector protector, ConnectionDefinition definition) =>
        definition.TestValue is null ? null : protector.Unprotect(definition.TestValue, InheritedValues.TestValueContext(definition.PlatformId, definition.Id));
}
