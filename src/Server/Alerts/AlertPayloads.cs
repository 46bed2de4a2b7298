using System.Globalization;
using WeOps.Engine.Alerts;

namespace WeOps.Server.Alerts;

/// <summary>One alert as Alertmanager (webhook version 4) and Grafana's unified alerting send it.</summary>
public sealed record WebhookAlert(
    string? Status, Dictionary<string, string?>? Labels, Dictionary<string, string?>? Annotations,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? GeneratorURL, string? Fingerprint);

/// <summary>Alertmanager's webhook payload (version 4); Grafana's adds fields (orgId, state, title,
/// message, per-alert values and URLs) that the intake does not need.</summary>
public sealed record AlertGroupPayload(
    string? Version, string? GroupKey, string? Status, string? Receiver,
    Dictionary<string, string?>? GroupLabels, Dictionary<string, string?>? CommonLabels, Dictionary<string, string?>? CommonAnnotations,
    string? ExternalURL, List<WebhookAlert?>? Alerts);

/// <summary>The generic shape for tools of one's own.</summary>
public sealed record GenericAlertPayload(
    string? Fingerprint, string? Status, Dictionary<string, string?>? Labels, Dictionary<string, string?>? Annotations,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? GeneratorURL);

/// <summary>What the media type script in <c>docs/zabbix/weops-media-type.js</c> sends: Zabbix macros, resolved.</summary>
public sealed record ZabbixPayload(
    string? EventId, string? Value, string? Name, string? Severity, string? Host, string? HostName, string? HostIp, string? TriggerId,
    string? Date, string? Time, string? RecoveryDate, string? RecoveryTime, string? UtcOffset, List<ZabbixTag?>? Tags,
    string? OpData, string? Url, string? Subject, string? Message);

public sealed record ZabbixTag(string? Tag, string? Value);

/// <summary>Turns each source's payload into <see cref="Alert"/>s, within limits; what is wrong is named
/// per JSON field, and nothing is taken when anything is wrong.</summary>
public sealed class AlertPayloads(TimeProvider time)
{
    public const int MaxAlerts = 1000;
    public const int MaxLabels = 64;
    public const int MaxNameLength = 200;
    public const int MaxLabelValueLength = 2000;
    public const int MaxAnnotationValueLength = 10_000;
    public const int MaxFingerprintLength = 200;
    public const int MaxUrlLength = 2000;

    public (List<Alert> Alerts, Dictionary<string, string[]> Errors) FromGroup(string source, AlertGroupPayload payload)
    {
        var errors = new Errors();
        var alerts = new List<Alert>();
        if (payload.Alerts is null) errors.Add("alerts", "alerts is required: the list of alerts in the group.");
        else if (payload.Alerts.Count > MaxAlerts) errors.Add("alerts", $"alerts has {payload.Alerts.Count} items; at most {MaxAlerts} per request.");
        else
        {
            for (var i = 0; i < payload.Alerts.Count; i++)
            {
                var field = $"alerts[{i}]";
                if (payload.Alerts[i] is not { } a)
                {
                    errors.Add(field, $"{field} is null; send an alert object.");
                    continue;
                }

                if (Normalise(source, field + ".", a.Fingerprint, a.Status, a.Labels, a.Annotations, a.StartsAt, a.EndsAt, a.GeneratorURL, errors) is { } alert)
                    alerts.Add(alert);
            }
        }

        return (alerts, errors.ToDictionary());
    }

    public (List<Alert> Alerts, Dictionary<string, string[]> Errors) FromGeneric(GenericAlertPayload p)
    {
        var errors = new Errors();
        var alert = Normalise("generic", "", p.Fingerprint, p.Status, p.Labels, p.Annotations, p.StartsAt, p.EndsAt, p.GeneratorURL, errors);
        return (alert is null ? [] : [alert], errors.ToDictionary());
    }

    public (List<Alert> Alerts, Dictionary<string, string[]> Errors) FromZabbix(ZabbixPayload p)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(p.EventId)) errors.Add("eventId", "eventId is required ({EVENT.ID}): it identifies the problem and its recovery.");
        var status = p.Value switch
        {
            "1" => "firing",
            "0" => "resolved",
            _ => null,
        };
        if (status is null) errors.Add("value", "value must be \"1\" (problem) or \"0\" (recovery), from {EVENT.VALUE}.");
        if (string.IsNullOrWhiteSpace(p.Name)) errors.Add("name", "name is required ({EVENT.NAME}).");
        var offset = UtcOffset(p.UtcOffset, errors);
        var startsAt = ZabbixTime(p.Date, p.Time, offset, "date", errors) ?? time.GetUtcNow();
        var endsAt = status == "resolved" ? ZabbixTime(p.RecoveryDate, p.RecoveryTime, offset, "recoveryDate", errors) ?? time.GetUtcNow() : (DateTimeOffset?)null;

        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (p.Tags is { Count: > MaxLabels }) errors.Add("tags", $"tags has {p.Tags.Count} items; at most {MaxLabels}.");
        else
        {
            for (var i = 0; i < (p.Tags?.Count ?? 0); i++)
            {
                if (p.Tags![i] is not { Tag: { Length: > 0 } tag } item) errors.Add($"tags[{i}]", $"tags[{i}] needs a tag name.");
                else labels[tag] = item.Value ?? "";
            }
        }

        // The event's own fields win over tags of the same name.
        labels["alertname"] = p.Name;
        if (p.Severity is not null) labels["severity"] = p.Severity.ToLowerInvariant();
        if (p.Host is not null) labels["host"] = p.Host;
        if (p.HostName is not null) labels["host_name"] = p.HostName;
        if (p.HostIp is not null) labels["host_ip"] = p.HostIp;
        if (p.TriggerId is not null) labels["trigger_id"] = p.TriggerId;
        var annotations = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["event_id"] = p.EventId,
            ["opdata"] = p.OpData,
            ["url"] = p.Url,
            ["subject"] = p.Subject,
            ["message"] = p.Message,
        };
        foreach (var key in annotations.Where(a => string.IsNullOrEmpty(a.Value)).Select(a => a.Key).ToList()) annotations.Remove(key);

        if (errors.Any) return ([], errors.ToDictionary());
        var alert = Normalise("zabbix", "", "zabbix-" + p.EventId!.Trim(), status, labels, annotations, startsAt, endsAt, p.Url, errors);
        return (alert is null ? [] : [alert], errors.ToDictionary());
    }

    /// <summary>Zabbix's date macros are in the server's local time; the media type sends its offset.</summary>
    private static TimeSpan UtcOffset(string? text, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.Zero;
        var negative = text.StartsWith('-');
        if (TimeSpan.TryParseExact(text.TrimStart('+', '-'), "hh\\:mm", CultureInfo.InvariantCulture, out var offset) && offset <= TimeSpan.FromHours(14))
            return negative ? -offset : offset;
        errors.Add("utcOffset", "utcOffset must look like +02:00 or -05:00 (the Zabbix server's offset from UTC).");
        return TimeSpan.Zero;
    }

    private static DateTimeOffset? ZabbixTime(string? date, string? clock, TimeSpan offset, string field, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(date) || string.IsNullOrWhiteSpace(clock)) return null;
        if (DateTime.TryParseExact($"{date.Trim()} {clock.Trim()}", "yyyy.MM.dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return new DateTimeOffset(local, offset);
        errors.Add(field, $"{field} and its time must be Zabbix's yyyy.MM.dd and HH:mm:ss ({{EVENT.DATE}} {{EVENT.TIME}}).");
        return null;
    }

    private Alert? Normalise(
        string source, string prefix, string? fingerprint, string? status, Dictionary<string, string?>? labels, Dictionary<string, string?>? annotations,
        DateTimeOffset? startsAt, DateTimeOffset? endsAt, string? generatorUrl, Errors errors)
    {
        var before = errors.Count;
        var alertStatus = status switch
        {
            "firing" => AlertStatus.Firing,
            "resolved" => AlertStatus.Resolved,
            _ => (AlertStatus?)null,
        };
        if (alertStatus is null) errors.Add(prefix + "status", $"{prefix}status must be \"firing\" or \"resolved\".");
        var cleanLabels = Pairs(prefix + "labels", labels, MaxLabelValueLength, errors);
        if (cleanLabels is { Count: 0 }) errors.Add(prefix + "labels", $"{prefix}labels is required and may not be empty: rules match on labels.");
        var cleanAnnotations = Pairs(prefix + "annotations", annotations, MaxAnnotationValueLength, errors) ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (fingerprint is { Length: > MaxFingerprintLength })
            errors.Add(prefix + "fingerprint", $"{prefix}fingerprint has {fingerprint.Length} characters; at most {MaxFingerprintLength}.");
        if (generatorUrl is { Length: > MaxUrlLength })
            errors.Add(prefix + "generatorURL", $"{prefix}generatorURL has {generatorUrl.Length} characters; at most {MaxUrlLength}.");
        if (errors.Count > before || cleanLabels is null) return null;

        return new Alert
        {
            Source = source,
            Fingerprint = string.IsNullOrWhiteSpace(fingerprint) ? Alert.FingerprintOf(cleanLabels) : fingerprint.Trim(),
            Status = alertStatus!.Value,
            Labels = cleanLabels,
            Annotations = cleanAnnotations,
            StartsAt = startsAt is { Year: > 1 } s ? s : time.GetUtcNow(),
            // Alertmanager and Grafana send the zero time for "no end yet".
            EndsAt = endsAt is { Year: > 1 } e ? e : null,
            GeneratorUrl = string.IsNullOrEmpty(generatorUrl) ? null : generatorUrl,
        };
    }

    private static SortedDictionary<string, string>? Pairs(string field, Dictionary<string, string?>? pairs, int maxValue, Errors errors)
    {
        var clean = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (pairs is null) return clean;
        if (pairs.Count > MaxLabels)
        {
            errors.Add(field, $"{field} has {pairs.Count} entries; at most {MaxLabels}.");
            return null;
        }

        foreach (var (name, value) in pairs)
        {
            if (name.Length is 0 or > MaxNameLength) errors.Add(field, $"{field} has a name of {name.Length} characters; names have 1 to {MaxNameLength}.");
            else if (value is { Length: var length } && length > maxValue) errors.Add($"{field}.{name}", $"{field}.{name} has {length} characters; at most {maxValue}.");
            else clean[name] = value ?? "";
        }

        return clean;
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

        public int Count { get; private set; }
        public bool Any => Count > 0;

        public void Add(string field, string message)
        {
            if (!byField.TryGetValue(field, out var list)) byField[field] = list = [];
            list.Add(message);
            Count++;
        }

        public Dictionary<string, string[]> ToDictionary() => byField.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
