using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using WeOps.Activities.Credentials;
using WeOps.Activities.Inventory;
using WeOps.Activities.Network;
using WeOps.Engine.Executors;

namespace WeOps.Activities.Ssh;

/// <summary>Runs a command or script on hosts through the OpenSSH client, <c>parallelism</c> hosts at a
/// time. A host that fails (non-zero exit, unreachable, refused, timed out) is reported in the output;
/// whether that fails the step is <c>failWhen</c>'s choice.</summary>
[Executor("ssh.exec", DisplayName = "Run over SSH", Category = "Remote",
    DisplayNameZh = "通过 SSH 执行", Summary = "Runs a shell command or script on one or more hosts over SSH.",
    SummaryZh = "通过 SSH 在一台或多台主机上执行命令或脚本。",
    DescriptionZh = "用 OpenSSH 客户端在一台或多台主机上执行命令或脚本（密钥登录，校验主机密钥）。主机可以是资产清单中的名称、地址（host[:port]）或标签筛选（'tags: web+env:prod !env:staging'）。默认任一主机失败即抛出 BPMN 错误 SSH_FAILED（failWhen: anyHost）；failWhen: never 时步骤成功，失败主机列在 'failedHosts' 中。超过服务器上限的输出在变量中被截断，完整内容保存在实例旁（stdoutRef/stderrRef）。",
    Description = "Runs a command or a script on one or more hosts with the OpenSSH client (key login, host keys checked). "
        + "Hosts are inventory names, addresses (host[:port]) or tag filters ('tags: web+env:prod !env:staging'). "
        + "By default any failed host raises the BPMN error SSH_FAILED (failWhen: anyHost); with failWhen: never the step "
        + "succeeds and failures are in 'failedHosts'. Output longer than the server's limit is cut in the variable and "
        + "stored whole beside the instance (stdoutRef/stderrRef).")]
[Output("hosts", Type = "array", Description = "Per host: host, exitCode (255: ssh could not connect or log in; null: timed out or skipped), stdout, stderr, durationMs, and when relevant error, skipped, stdoutTruncated/stdoutRef, stderrTruncated/stderrRef.")]
[Output("failedHosts", Type = "array", Description = "Names of the hosts that ran and failed.")]
[Output("succeeded", Type = "integer", Description = "How many hosts exited with 0.")]
[Output("failed", Type = "integer", Description = "How many hosts ran and failed.")]
[Output("skipped", Type = "integer", Description = "How many hosts were not started because of onFailure: stop.")]
public sealed partial class SshExecutor : Executor<SshExecutor.Inputs>
{
    /// <summary>The BPMN error code raised when host failures fail the step.</summary>
    public const string FailedErrorCode = "SSH_FAILED";

    public const int MaxParallelism = 100;

    private readonly ICredentialStore credentials;
    private readonly IHostInventory inventory;
    private readonly SshOptions options;
    private readonly OutboundPolicy outbound;

    public SshExecutor(ICredentialStore credentials, IHostInventory inventory, SshOptions options, OutboundPolicy outbound)
    {
        this.credentials = credentials;
        this.inventory = inventory;
        this.options = options.Validated();
        this.outbound = outbound;
    }

    public sealed record Inputs
    {
        [Input(Description = "Where to run: a host name from the inventory, an address (10.0.0.5, 10.0.0.5:2222, db1.example.com), "
            + "a tag filter ('tags: web+env:prod !env:staging'), or a list of these.", Required = true, UiHint = "hosts", DescriptionZh = "在哪里执行：资产清单中的主机名、地址（10.0.0.5、10.0.0.5:2222、db1.example.com）或标签筛选（'tags: web+env:prod !env:staging'）；多个用逗号分隔或给一个数组。")]
        public JsonNode? Hosts { get; init; }

        [Input(Description = "A shell command line, run by the login shell of the remote user. Each ${...} in it becomes one "
            + "quoted word, whatever the value holds; ${raw(expr)} splices shell text unquoted (the validator warns). Give this or 'script'.",
            UiHint = "code", Syntax = InputSyntax.Shell, DescriptionZh = "一行 shell 命令，由远端用户的登录 shell 执行。其中每个 ${...} 都会成为一个带引号的单词；${raw(expr)} 原样拼入。与 'script' 二选一。")]
        public string? Command { get; init; }

        [Input(Description = "A script sent on stdin to 'shell -s'; 'args' become $1, $2... Each ${...} in it becomes one quoted word, "
            + "as in 'command'. Give this or 'command'.", UiHint = "code", Syntax = InputSyntax.Shell, DescriptionZh = "通过 stdin 交给 'shell -s' 执行的脚本；'args' 成为 $1、$2……其中的 ${...} 与 'command' 中一样加引号。与 'command' 二选一。")]
        public string? Script { get; init; }

        [Input(Description = "The shell that reads 'script'.", Default = "sh", DescriptionZh = "读取 'script' 的 shell。")]
        public ScriptShell Shell { get; init; }

        [Input(Description = "Values added to the command (or passed to the script as $1, $2...) as separate arguments, each quoted.", UiHint = "json", DescriptionZh = "附加到命令后（或作为脚本的 $1、$2……）的参数，每个单独加引号。")]
        public List<JsonNode?>? Args { get; init; }

        [Input(Description = "Environment variables exported on the remote side; values are quoted and never logged.", UiHint = "json", DescriptionZh = "在远端导出的环境变量；值会加引号，且从不写入日志。")]
        public Dictionary<string, JsonNode?>? Env { get; init; }

        [Input(Description = "Run as root through 'sudo -n' (fails instead of prompting when sudo wants a password).", Default = "false", DescriptionZh = "通过 'sudo -n' 以 root 身份执行（sudo 需要密码时直接失败，不会等待输入）。")]
        public bool Sudo { get; init; }

        [Input(Description = "Log in as this user, over the inventory's user and the credential's username.", DescriptionZh = "以此用户登录，优先于资产清单中的用户和凭据中的用户名。")]
        public string? User { get; init; }

        [Input(Description = "SSH port, over the inventory's port (an address written host:port keeps its own).", DescriptionZh = "SSH 端口，优先于资产清单中的端口（写成 host:port 的地址保留自己的端口）。")]
        public int? Port { get; init; }

        [Input(Description = "Name of an SSH credential (privateKey, username), over the inventory's credential. "
            + "Without one, ssh uses the server account's own keys.", UiHint = "credential", DescriptionZh = "SSH 凭据名称（privateKey、username），优先于资产清单中的凭据。不填时 ssh 使用服务器账号自己的密钥。")]
        public string? Credential { get; init; }

        [Input(Description = "Time limit per host, ISO 8601 (PT5M); ssh is killed and the host fails when it is reached. "
            + "Without it only the step's own timeout applies.", DescriptionZh = "每台主机的时间上限，ISO 8601 格式（PT5M）；到时 ssh 被终止，该主机记为失败。不填时只受步骤自身超时限制。")]
        public TimeSpan? Timeout { get; init; }

        [Input(Description = "How many hosts run at once (1-100).", Default = "10", DescriptionZh = "同时执行的主机数（1-100）。")]
        public int Parallelism { get; init; } = 10;

        [Input(Description = "continue: every host runs; stop: no new host starts after a failure (the rest are skipped).", Default = "continue", DescriptionZh = "continue：所有主机都执行；stop：一台失败后不再启动新的主机（其余记为跳过）。")]
        public OnFailure OnFailure { get; init; }

        [Input(Description = "When host failures fail the step with BPMN error SSH_FAILED: anyHost, allHosts, or never "
            + "(then only 'failedHosts' tells).", Default = "anyHost", DescriptionZh = "主机失败何时使步骤以 BPMN 错误 SSH_FAILED 失败：anyHost、allHosts 或 never（此时只在 'failedHosts' 中体现）。")]
        public FailWhen FailWhen { get; init; }

        [Input(Description = "strict: a host's key must be known (inventory or the server's known_hosts); acceptNew: "
            + "trust an unknown key on first use, if the server allows it.", Default = "strict", DescriptionZh = "strict：主机密钥必须已知（资产清单或服务器的 known_hosts）；acceptNew：服务器允许时，首次连接信任未知密钥。")]
        public HostKeyPolicy HostKeyPolicy { get; init; }
    }

    protected override async Task<JsonNode?> ExecuteAsync(Inputs inputs, ExecutorContext context, CancellationToken cancellationToken)
    {
        Check(inputs);
        var remote = RemoteCommand.Build(inputs.Command, inputs.Script, Args(inputs.Args), inputs.Env, inputs.Sudo, inputs.Shell);
        var targets = await SshTargets.ResolveAsync(HostItems(inputs.Hosts), inventory, cancellationToken);

        using var workspace = SshWorkspace.Create(options.TempDirectory);
        workspace.WriteKnownHosts(targets);
        var plans = new List<(SshTarget Target, IReadOnlyList<string> Arguments)>();
        foreach (var target in targets)
        {
            var credentialName = Given(inputs.Credential) ?? Given(target.Credential);
            var login = credentialName is null ? null : await workspace.LoginAsync(credentialName, credentials, cancellationToken);
            var user = Given(inputs.User) ?? Given(target.User) ?? login?.User;
            CheckLogin(target, user);
            var port = target.PortWritten ? target.Port : inputs.Port ?? target.Port;
            var connectTo = await ConnectAddressAsync(target, cancellationToken);
            plans.Add((target, SshHostRun.Arguments(options, target, user, port, login?.KeyPath, inputs.HostKeyPolicy, workspace.KnownHostsPath, remote.CommandLine, connectTo)));
        }

        var run = new SshHostRun(options, workspace);
        using var slots = new SemaphoreSlim(inputs.Parallelism);
        using var saving = new SemaphoreSlim(1);
        var stop = false;

        async Task<string> SaveAsync(SshTarget target, string stream, string text, CancellationToken token)
        {
            // One large text in memory at a time, however many hosts finish together.
            await saving.WaitAsync(token);
            try
            {
                return await context.LargeOutputs.SaveAsync(context.InstanceId, context.ElementId, $"{target.Name} {stream}", text, token);
            }
            finally
            {
                saving.Release();
            }
        }

        async Task<HostOutcome> RunOneAsync(SshTarget target, IReadOnlyList<string> arguments)
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                if (Volatile.Read(ref stop))
                {
                    context.Logger.LogInformation("ssh.exec {Host}: skipped, an earlier host failed", target.Name);
                    return new HostOutcome(target, null, "", "", 0) { Skipped = true, Error = "not started: an earlier host failed (onFailure: stop)" };
                }

                context.Logger.LogInformation("ssh.exec {Host}: starting on {Address}", target.Name, target.Address);
                var outcome = await run.RunAsync(target, arguments, remote.StandardInput, inputs.Timeout,
                    (stream, text, token) => SaveAsync(target, stream, text, token), cancellationToken);
                if (outcome.Succeeded)
                {
                    context.Logger.LogInformation("ssh.exec {Host}: exit code 0 after {DurationMs} ms", target.Name, outcome.DurationMs);
                }
                else
                {
                    context.Logger.LogWarning("ssh.exec {Host}: failed (exit code {ExitCode}) after {DurationMs} ms", target.Name, outcome.ExitCode?.ToString() ?? "none", outcome.DurationMs);
                    if (inputs.OnFailure == OnFailure.Stop) Volatile.Write(ref stop, true);
                }

                return outcome;
            }
            finally
            {
                slots.Release();
            }
        }

        var outcomes = await Task.WhenAll(plans.Select(p => RunOneAsync(p.Target, p.Arguments)));
        var ran = outcomes.Where(o => !o.Skipped).ToList();
        var failed = ran.Where(o => !o.Succeeded).ToList();
        var raise = inputs.FailWhen switch
        {
            FailWhen.AnyHost => failed.Count > 0,
            FailWhen.AllHosts => ran.Count > 0 && failed.Count == ran.Count,
            _ => false,
        };
        if (raise)
        {
            var named = string.Join(", ", failed.Take(5).Select(o => $"{o.Target.Name} ({(o.ExitCode is { } c ? $"exit code {c}" : "timed out")})"));
            throw new BpmnErrorException(FailedErrorCode,
                $"ssh.exec: {failed.Count} of {ran.Count} hosts failed: {named}{(failed.Count > 5 ? ", …" : "")}.");
        }

        return new JsonObject
        {
            ["hosts"] = new JsonArray([.. outcomes.Select(ToJson)]),
            ["failedHosts"] = new JsonArray([.. failed.Select(o => (JsonNode)o.Target.Name)]),
            ["succeeded"] = ran.Count - failed.Count,
            ["failed"] = failed.Count,
            ["skipped"] = outcomes.Length - ran.Count,
        };
    }

    private static JsonObject ToJson(HostOutcome o)
    {
        var json = new JsonObject
        {
            ["host"] = o.Target.Name,
            ["exitCode"] = o.ExitCode,
            ["stdout"] = o.Stdout,
            ["stderr"] = o.Stderr,
            ["durationMs"] = o.DurationMs,
        };
        if (o.Error is not null) json["error"] = o.Error;
        if (o.Skipped) json["skipped"] = true;
        if (o.StdoutTruncated) json["stdoutTruncated"] = true;
        if (o.StdoutRef is not null) json["stdoutRef"] = o.StdoutRef;
        if (o.StderrTruncated) json["stderrTruncated"] = true;
        if (o.StderrRef is not null) json["stderrRef"] = o.StderrRef;
        return json;
    }

    private void Check(Inputs inputs)
    {
        if (inputs.Parallelism is < 1 or > MaxParallelism)
            throw new ExecutorInputException($"ssh.exec: 'parallelism' must be between 1 and {MaxParallelism}, not {inputs.Parallelism}.");
        if (inputs.Port is < 1 or > 65535)
            throw new ExecutorInputException($"ssh.exec: 'port' must be between 1 and 65535, not {inputs.Port}.");
        if (inputs.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            throw new ExecutorInputException("ssh.exec: 'timeout' must be longer than zero.");
        if (inputs.HostKeyPolicy == HostKeyPolicy.AcceptNew && !options.AllowAcceptNew)
            throw new ExecutorInputException("ssh.exec: 'hostKeyPolicy: acceptNew' is not allowed on this server (setting Ssh:AllowAcceptNew); record the host's key in the inventory instead.");
    }

    /// <summary>Judges the target's address by the outbound policy before any host runs; for a name, the
    /// address judged, for ssh to connect to instead of resolving the name a second time.</summary>
    private async Task<string?> ConnectAddressAsync(SshTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await outbound.ResolveAsync(target.Address, cancellationToken);
            return IPAddress.TryParse(target.Address.Trim('[', ']'), out _) ? null : addresses[0].ToString();
        }
        catch (OutboundRefusedException e)
        {
            throw new OutboundRefusedException($"ssh.exec: host '{target.Name}': {e.Message}");
        }
        catch (SocketException e)
        {
            throw new SocketException((int)e.SocketErrorCode, $"ssh.exec: host '{target.Name}': the name '{target.Address}' does not resolve ({e.Message}).");
        }
    }

    // A template that evaluates to "" (an inventory field left blank) means "not given".
    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void CheckLogin(SshTarget target, string? user)
    {
        if (user is not null && !UserName().IsMatch(user))
            throw new ExecutorInputException($"ssh.exec: '{(user.Length > 40 ? user[..40] + "…" : user)}' is not a user name (letters, digits, '.', '_', '-', '@', '\\'; not starting with '-').");
        if (target.Address.Length == 0 || target.Address.StartsWith('-') || target.Address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new ExecutorInputException($"ssh.exec: host '{target.Name}' has an address that is not one.");
    }

    private static List<string> HostItems(JsonNode? hosts) => hosts?.GetValueKind() switch
    {
        JsonValueKind.String => [hosts.GetValue<string>()],
        JsonValueKind.Array => [.. hosts.AsArray().Select((h, i) => h?.GetValueKind() == JsonValueKind.String
            ? h.GetValue<string>()
            : throw new ExecutorInputException($"ssh.exec: 'hosts' item {i} must be a string (a host name, address or tag filter), got {h?.ToJsonString() ?? "null"}."))],
        _ => throw new ExecutorInputException("ssh.exec: 'hosts' must be a host name, an address, a tag filter or a list of these."),
    };

    private static List<string> Args(List<JsonNode?>? args) =>
        [.. (args ?? []).Select((a, i) => a?.GetValueKind() switch
        {
            JsonValueKind.String => a.GetValue<string>(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => a.ToJsonString(),
            _ => throw new ExecutorInputException($"ssh.exec: 'args' item {i} must be a string, number or boolean."),
        })];

    [GeneratedRegex(@"^[A-Za-z0-9._@\\][A-Za-z0-9._@\\-]{0,127}$")]
    private static partial Regex UserName();
}
