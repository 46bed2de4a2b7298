// Simplified Chinese for the mail settings' TLS modes and the test message's outcome.
export default {
  'TLS from the first byte (implicit TLS, usually port 465; certificate must be trusted)': '全程 TLS（隐式 TLS，通常为 465 端口；证书须受信任）',
  'No answer from the SMTP server {server}:': 'SMTP 服务器 {server} 未作应答：'
};
