using System.Security.Cryptography;
using System.Text;
using Plugboard.Server.Http;

namespace Plugboard.Server.Mcp;

/// An MCP server of one project (seed 003, the reference's /v1/mcp-servers): a name, its tools, and the token an AI
/// agent presents, kept only as its SHA-256 hash.
public sealed class McpServer : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string ProjectId { get; init; }
    public required string Name { get; set; }

    /// A second id of the server, as the reference's `externalId`: stable, never a secret.
    public required string ExternalId { get; init; }

    /// SHA-256 of the token, hex: the token itself is shown at creation and rotation only.
    public required string TokenHash { get; set; }

    /// The tools as JSON: an array of <see cref="McpToolDto"/>.
    public required string Tools { get; set; }
    public long Version { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}

public static class McpTokens
{
    public const string Prefix = "mcp_";

    public static string New() => Prefix + Ids.NewSecret(60);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool FixedTimeEquals(string hashA, string hashB) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hashA), Encoding.ASCII.GetBytes(hashB));
}
