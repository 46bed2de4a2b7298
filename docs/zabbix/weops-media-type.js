// WeOps media type for Zabbix (Administration -> Media types -> Create media type -> Webhook).
// Sends a problem and its recovery to POST /api/alerts/zabbix as the JSON documented in README.md
// ("Zabbix"). Parameters of the media type (name: value):
//
//   url          http://weops.example:5080/api/alerts/zabbix   (append ?secret=... when using a source secret)
//   apiKey       a WeOps API key with the alert-source role, or empty when the url carries the secret
//   utcOffset    the Zabbix server's offset from UTC, e.g. +02:00 (EVENT.DATE and EVENT.TIME are local)
//   eventId      {EVENT.ID}              value        {EVENT.VALUE}        name       {EVENT.NAME}
//   severity     {EVENT.SEVERITY}        host         {HOST.HOST}          hostName   {HOST.NAME}
//   hostIp       {HOST.IP}               triggerId    {TRIGGER.ID}         date       {EVENT.DATE}
//   time         {EVENT.TIME}            recoveryDate {EVENT.RECOVERY.DATE} recoveryTime {EVENT.RECOVERY.TIME}
//   tags         {EVENT.TAGSJSON}        opData       {EVENT.OPDATA}       triggerUrl {TRIGGER.URL}
//   subject      {ALERT.SUBJECT}         message      {ALERT.MESSAGE}
//
// In a recovery message {EVENT.ID} is still the problem's id, so the problem and its recovery share
// one fingerprint (zabbix-<eventId>) and the recovery reaches the instance the problem started.

var params = JSON.parse(value);

// A macro Zabbix could not resolve (the recovery date of a problem) arrives as its own name.
function macro(text) {
    if (typeof text !== 'string') return '';
    return /^\{[A-Z0-9.]+\}$/.test(text) ? '' : text;
}

var tags = [];
try {
    var parsed = JSON.parse(macro(params.tags) || '[]');
    for (var i = 0; i < parsed.length; i++) tags.push({ tag: String(parsed[i].tag), value: String(parsed[i].value || '') });
} catch (e) {
    Zabbix.log(3, '[WeOps] tags are not JSON, sent without them: ' + e);
}

var payload = {
    eventId: macro(params.eventId),
    value: macro(params.value),
    name: macro(params.name),
    severity: macro(params.severity),
    host: macro(params.host),
    hostName: macro(params.hostName),
    hostIp: macro(params.hostIp),
    triggerId: macro(params.triggerId),
    date: macro(params.date),
    time: macro(params.time),
    recoveryDate: macro(params.recoveryDate),
    recoveryTime: macro(params.recoveryTime),
    utcOffset: macro(params.utcOffset) || '+00:00',
    tags: tags,
    opData: macro(params.opData),
    url: macro(params.triggerUrl),
    subject: macro(params.subject),
    message: macro(params.message)
};

var request = new HttpRequest();
request.addHeader('Content-Type: application/json');
if (params.apiKey) request.addHeader('Authorization: Bearer ' + params.apiKey);
var response = request.post(params.url, JSON.stringify(payload));
var status = request.getStatus();
if (status !== 202) {
    throw 'WeOps answered ' + status + ': ' + response;
}

return 'OK';
