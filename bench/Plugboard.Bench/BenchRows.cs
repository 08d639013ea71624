using Plugboard.Server.Connections;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

/// The one connection shape every phase writes: a SECRET_TEXT connection of the bench project,
/// as the project route's upsert would store it.
internal static class BenchRows
{
    public const string PieceName = "@activepieces/piece-openai";
    public const string PieceVersion = "0.3.0";

    private static readonly string[] Pieces = [PieceName, "@activepieces/piece-slack", "@activepieces/piece-github", "@activepieces/piece-notion"];

    /// The value's JSON as ConnectionValue.Parse hands it to the upserter.
    public static string ValueJson(string externalId) =>
        $$"""{"type":"SECRET_TEXT","secret_text":"sk-bench-{{externalId}}-0123456789abcdef0123456789abcdef"}""";

    public static UpsertCommand Command(BenchHost host, string externalId) => new()
    {
        Caller = host.Caller,
        Scope = ConnectionScope.Project,
        ScopeKey = host.ProjectId,
        ExternalId = externalId,
        DisplayName = $"Bench {externalId}",
        PieceName = PieceName,
        PieceVersion = PieceVersion,
        Type = ConnectionType.SecretText,
        ValueJson = ValueJson(externalId),
        MetadataText = null,
        MetadataGiven = false,
        PreSelectForNewProjects = null,
        ProjectIds = [host.ProjectId],
    };

    /// A row with the given value (ciphertext, or plain text for the unencrypted baseline) and its project link.
    public static AppConnection Connection(BenchHost host, string id, string externalId, string value, DateTime created, int index = 0)
    {
        var connection = new AppConnection
        {
            Id = id,
            PlatformId = host.Caller.PlatformId,
            ExternalId = externalId,
            Scope = ConnectionScope.Project,
            ScopeKey = host.ProjectId,
            DisplayName = $"Bench {externalId}",
            PieceName = Pieces[index % Pieces.Length],
            PieceVersion = PieceVersion,
            Type = ConnectionType.SecretText,
            Status = ConnectionStatus.Active,
            OwnerId = host.Caller.OwnerUserId,
            Value = value,
            Version = 1,
            Created = created,
            Updated = created,
            Metadata = $$"""{"tenantId":"{{TenantOf(index)}}","source":"bench"}""",
        };
        connection.Projects.Add(new AppConnectionProject { ConnectionId = id, ProjectId = host.ProjectId, PlatformId = host.Caller.PlatformId });
        return connection;
    }

    public static string NewId() => Ids.New();

    /// Tenants of the filled rows, as seed 003's SaaS tags them: row i belongs to t-(i mod 100), except every
    /// 25,000th, which belongs to the rare tenant (a handful of rows among all of them: the filter's worst case).
    public const int Tenants = 100;
    public const string CommonTenant = "t-7";
    public const string RareTenant = "t-rare";

    public static string TenantOf(int index) => index % 25_000 == 3 ? RareTenant : $"t-{index % Tenants}";
}
