using ArchUnitNET.Domain;
using ArchUnitNET.Loader;
using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Architecture;

/// The server's folders depend one way, in the order the README's code map gives: each may use the folders
/// before it and never one after it. Read from the compiled assembly (every type a type's fields, signatures
/// and method bodies use), so a `using` that sneaks a cycle back in fails here, not in review.
public sealed class FeatureDependencyTests
{
    /// Lowest first. The composition root (the `Plugboard.Server` namespace itself) may use any of them.
    public static readonly string[] Order =
    [
        "Configuration", "Http", "Telemetry", "Data", "Crypto", "Health", "Access", "Audit", "Outbox", "Projects", "Platform", "Pieces",
        "Connections", "OAuth", "Sync", "Flows", "Engine", "Proxy", "Mcp", "Embedding", "OpenApi", "Maintenance", "Webhooks", "Pages", "Embed",
    ];

    private const string Root = "Plugboard.Server";

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Server =
        new(() => new ArchLoader().LoadAssemblies(typeof(PlugboardDb).Assembly).Build());

    [Fact]
    public void Folders_DependOnlyOnFoldersBeforeThem()
    {
        var upward = Dependencies()
            .Where(d => Rank(d.From) is { } from && Rank(d.To) is { } to && to > from)
            .Select(d => $"{d.From} -> {d.To} ({d.FromType} uses {d.ToType})")
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(upward.Count == 0, "Dependencies against the order:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void EveryFolder_HasItsPlaceInTheOrder()
    {
        var folders = Server.Value.Types.Select(t => Folder(t.Namespace.FullName)).OfType<string>().Distinct();

        Assert.Empty(folders.Except(Order).Order(StringComparer.Ordinal));
    }

    /// The check can fail: the composition root uses folders from the top of the order, and that shows as dependencies.
    [Fact]
    public void Dependencies_AreSeenAcrossFolders()
    {
        Assert.Contains(Dependencies(), d => d.From == "Connections" && d.To == "Data");
        Assert.Contains(Dependencies(), d => d.From == "Flows" && d.To == "Connections");
    }

    private static List<(string From, string To, string FromType, string ToType)> Dependencies() =>
    [
        .. from type in Server.Value.Types
           let source = Folder(type.Namespace.FullName)
           where source is not null
           from dependency in type.Dependencies
           let target = Folder(dependency.Target.Namespace.FullName)
           where target is not null && target != source
           select (source, target, type.FullName, dependency.Target.FullName),
    ];

    private static int? Rank(string folder) => Array.IndexOf(Order, folder) is var i and >= 0 ? i : null;

    /// `Plugboard.Server.OAuth.Outbound` is the OAuth folder; the root namespace and other assemblies are none.
    private static string? Folder(string ns) =>
        ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..].Split('.')[0] : null;
}
