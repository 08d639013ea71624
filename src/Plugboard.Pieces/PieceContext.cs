namespace Plugboard.Pieces;

/// <summary>What piece code gets at run time: the connections and the project of the run, and the resolved input.</summary>
public abstract class PieceContext
{
    private readonly ConnectionValue? _auth;
    private readonly string _operation;

    private protected PieceContext(RunScope scope)
    {
        Connections = scope.Connections;
        Project = scope.Project;
        Props = scope.Props;
        _auth = scope.Auth;
        _operation = scope.Operation;
        CancellationToken = scope.CancellationToken;
    }

    /// <summary>Reads connections by key (externalId), e.g. a predefined <c>gelato_&lt;externalProjectId&gt;</c>.</summary>
    public ConnectionsManager Connections { get; }

    /// <summary>The run's project.</summary>
    public ProjectContext Project { get; }

    /// <summary>The step's input, connection references resolved.</summary>
    public PropValues Props { get; }

    /// <summary>Whether the input's <c>auth</c> referenced a connection.</summary>
    public bool HasAuth => _auth is not null;

    /// <summary>
    /// The connection the input's <c>auth</c> references (<c>{{connections['key']}}</c>); always there for an
    /// operation with <see cref="PieceOperation.RequireAuth"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The input has no auth: fetch the connection with <see cref="Connections"/>.</exception>
    public ConnectionValue Auth => _auth ?? throw new InvalidOperationException(
        $"'{_operation}' was run without auth (RequireAuth is false): fetch the connection with context.Connections.GetAsync(key).");

    /// <summary>Cancelled when the run is.</summary>
    public CancellationToken CancellationToken { get; }
}

/// <summary>The context of an action's run.</summary>
public sealed class ActionContext : PieceContext
{
    internal ActionContext(RunScope scope)
        : base(scope)
    {
    }
}

/// <summary>The context of a trigger hook.</summary>
public sealed class TriggerContext : PieceContext
{
    internal TriggerContext(RunScope scope, TriggerHook hook)
        : base(scope) => Hook = hook;

    /// <summary>Which hook is running.</summary>
    public TriggerHook Hook { get; }
}

/// <summary>The context of a dropdown's options loader: <see cref="PieceContext.Props"/> holds the other props' values so far.</summary>
public sealed class OptionsContext : PieceContext
{
    internal OptionsContext(RunScope scope, string propName)
        : base(scope) => PropName = propName;

    /// <summary>The dropdown prop whose options are loaded.</summary>
    public string PropName { get; }
}

internal sealed record RunScope(
    string Operation,
    ConnectionsManager Connections,
    ProjectContext Project,
    PropValues Props,
    ConnectionValue? Auth,
    CancellationToken CancellationToken);
