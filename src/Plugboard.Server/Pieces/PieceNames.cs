using System.Text.RegularExpressions;
using Plugboard.Server.Http;

namespace Plugboard.Server.Pieces;

/// Piece names are npm package names (`@activepieces/piece-gelato`): lowercase, an optional `@scope/`,
/// URL-safe characters only, at most 214 characters, not starting with '.' or '_'. They go into URLs
/// (`/api/v1/pieces/@scope/name`) and are matched exactly, so nothing else is accepted anywhere a piece is named.
public static partial class PieceNames
{
    public const int MaxLength = 214;

    public static ApiError? Check(string? name, string field) =>
        Validate.Text(name, field, max: MaxLength) ?? (IsValid(name!)
            ? null
            : ApiError.Validation(
                $"{field} must be an npm package name: lowercase a-z, 0-9 and - . _ ~, optionally with an @scope/, not starting with . or _.", field));

    public static bool IsValid(string name) => name.Length <= MaxLength && Pattern().IsMatch(name);

    [GeneratedRegex(@"^(@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
