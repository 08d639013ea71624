using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>
/// Runs a piece's operations for the project an engine token is bound to, as the engine would: it checks the
/// input against the props, resolves its <c>{{connections['key']}}</c> references through the server's worker
/// API, then calls the piece code with a context.
/// </summary>
public sealed class PieceRunner
{
    private const string AuthInput = "auth";

    private readonly WorkerApi _worker;

    /// <summary>
    /// A runner on <paramref name="http"/>, whose BaseAddress is the Plugboard server (any client: an in-process
    /// test server's too), with an engine token from <c>POST /api/v1/engine-tokens</c>.
    /// </summary>
    public PieceRunner(HttpClient http, string engineToken) => _worker = new WorkerApi(http, engineToken);

    /// <summary>Runs an action and returns its output.</summary>
    /// <exception cref="ArgumentException">No such action; a required prop or the auth is missing; a prop has the wrong type.</exception>
    /// <exception cref="ConnectionException">A referenced connection could not be read.</exception>
    /// <exception cref="HttpRequestException">The run's project could not be read (e.g. the engine token was rejected).</exception>
    public async Task<JsonNode?> RunActionAsync(Piece piece, string actionName, JsonObject input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var action = piece.Action(actionName, nameof(actionName));
        var scope = await PrepareAsync(action, input, validate: true, cancellationToken);
        return await action.Run(new ActionContext(scope));
    }

    /// <summary>Runs one hook of a trigger: the items <see cref="TriggerHook.Run"/> or <see cref="TriggerHook.Test"/> return, none for the others.</summary>
    /// <exception cref="ArgumentException">No such trigger or hook; a required prop or the auth is missing; a prop has the wrong type.</exception>
    /// <exception cref="ConnectionException">A referenced connection could not be read.</exception>
    /// <exception cref="HttpRequestException">The run's project could not be read (e.g. the engine token was rejected).</exception>
    public async Task<JsonArray> RunTriggerAsync(
        Piece piece, string triggerName, TriggerHook hook, JsonObject input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var trigger = piece.Trigger(triggerName, nameof(triggerName));
        if (!Enum.IsDefined(hook))
        {
            throw new ArgumentException($"Unknown trigger hook {hook}.", nameof(hook));
        }
        var context = new TriggerContext(await PrepareAsync(trigger, input, validate: true, cancellationToken), hook);
        switch (hook)
        {
            case TriggerHook.OnEnable:
                await (trigger.OnEnable?.Invoke(context) ?? Task.CompletedTask);
                return [];
            case TriggerHook.OnDisable:
                await (trigger.OnDisable?.Invoke(context) ?? Task.CompletedTask);
                return [];
            case TriggerHook.Test when trigger.Test is not null:
                return await trigger.Test(context);
            default:
                return await trigger.Run(context);
        }
    }

    /// <summary>
    /// Loads the options of a <see cref="PropType.Dropdown"/> prop of an action or trigger. The input holds the
    /// values chosen so far; required props are not checked, as the user is still filling them in.
    /// </summary>
    /// <exception cref="ArgumentException">No such operation or prop, or the prop is not a DROPDOWN.</exception>
    /// <exception cref="ConnectionException">A referenced connection could not be read.</exception>
    /// <exception cref="HttpRequestException">The run's project could not be read (e.g. the engine token was rejected).</exception>
    public async Task<DropdownOptions> LoadOptionsAsync(
        Piece piece, string operationName, string propName, JsonObject input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var operation = piece.Operation(operationName, nameof(operationName));
        if (!operation.Props.TryGetValue(propName, out var prop))
        {
            throw new ArgumentException(
                $"{operation.Kind} '{operation.Name}' has no prop '{propName}' (it has: {string.Join(", ", operation.Props.Keys)}).", nameof(propName));
        }
        if (prop.LoadOptions is null)
        {
            throw new ArgumentException(
                $"Prop '{propName}' of '{operation.Name}' is {PieceMetadata.WireName(prop.Type)}, not a DROPDOWN.", nameof(propName));
        }
        var scope = await PrepareAsync(operation, input, validate: false, cancellationToken);
        return await prop.LoadOptions(new OptionsContext(scope, propName));
    }

    private async Task<RunScope> PrepareAsync(PieceOperation operation, JsonObject input, bool validate, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Everything that can be told from the input alone fails before a single request is made.
        var authKey = AuthReference(input)?.Key;
        if (validate)
        {
            if (operation.RequireAuth && authKey is null)
            {
                throw new ArgumentException(
                    $"{operation.Kind} '{operation.Name}' requires auth: set the input's 'auth' to {{{{connections['<externalId>']}}}}.", nameof(input));
            }
            PropValidation.RequirePresent(operation, input);
        }

        var connections = new ConnectionsManager(_worker);
        var project = await ProjectContext.LoadAsync(_worker, ct);
        var resolver = new InputResolver(connections, ct);
        var resolved = await resolver.ResolveAsync(input);
        if (validate)
        {
            PropValidation.Check(operation, resolved);
        }
        var auth = authKey is null ? null : resolver.Resolved(authKey);
        return new RunScope(operation.Name, connections, project, new PropValues(resolved), auth, ct);
    }

    /// <summary>The input's auth when it is a reference to a whole connection (no path).</summary>
    private static ConnectionReference? AuthReference(JsonObject input) =>
        input[AuthInput] is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && ConnectionReference.ParseWhole(value.GetValue<string>()) is { Path.Count: 0 } reference
            ? reference
            : null;
}
