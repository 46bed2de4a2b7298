# kubectl for tests/WeOps.Activities.Tests/Kubernetes: the k8s.* executors and the real kubectl run the
# same operations against the loopback Kubernetes API emulation. Nothing is started; Debian's
# kubernetes-client is installed when no kubectl is on PATH. Convention: scripts/test-services.sh.

svc_kubectl_start() {
  if command -v kubectl >/dev/null 2>&1; then
    printf '== kubectl: %s\n' "$(kubectl version --client 2>/dev/null | head -n 1)"
    return 0
  fi
  _ts_apt_install kubernetes-client
  command -v kubectl >/dev/null 2>&1 || { printf '== kubectl: kubernetes-client is installed but kubectl is not on PATH\n' >&2; exit 1; }
  printf '== kubectl: %s\n' "$(kubectl version --client 2>/dev/null | head -n 1)"
}

svc_kubectl_stop() { return 0; }

_TS_SERVICES+=(kubectl)
