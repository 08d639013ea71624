using System.Text.Json;
using System.Text.RegularExpressions;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;

namespace Plugboard.Server.Connections;

/// The checks shared by the project and the global upsert.
public static partial class ConnectionRequests
{
    public sealed record Checked(ConnectionType Type, string ValueJson);

    public static Outcome<Checked> Check(
        string? externalId, bool externalIdRequired, string? displayName, string? pieceName, string? pieceVersion,
        string? type, JsonElement? value, JsonElement? metadata, TimeProvider time)
    {
        var invalid = Validate.FirstError(
            Validate.Text(externalId, "externalId", externalIdRequired, Lengths.ExternalId),
            Validate.Text(displayName, "displayName"),
            PieceNames.Check(pieceName, "pieceName"),
            Validate.Metadata(metadata));
        if (invalid is not null)
        {
            return invalid;
        }
        if (CheckPieceVersion(pieceVersion) is { } badVersion)
        {
            return badVersion;
        }
        if (!WireEnum<ConnectionType>.TryParse(type, out var connectionType))
        {
            return ApiError.Validation($"type must be one of {string.Join(", ", WireEnum<ConnectionType>.Names)}.", "type");
        }
        var json = ConnectionValue.Parse(connectionType, value, time);
        return json.Succeeded ? new Checked(connectionType, json.Value) : json.Error;
    }

    public static ApiError? CheckPieceVersion(string? pieceVersion) =>
        pieceVersion is not null && !SemVer().IsMatch(pieceVersion)
            ? ApiError.Validation("Invalid piece version: pieceVersion must be a semantic version such as 0.10.0 (or a range: ~0.10.0, ^0.10.0).", "pieceVersion")
            : null;

    [GeneratedRegex(@"^[\^~]?\d{1,9}\.\d{1,9}\.\d{1,9}(-[0-9A-Za-z.-]{1,20})?(\+[0-9A-Za-z.-]{1,20})?$")]
    private static partial Regex SemVer();
}
