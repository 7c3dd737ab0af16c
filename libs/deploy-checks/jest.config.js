// Static checks of the deployment files (Dockerfile, compose, Terraform, Kubernetes, alerts,
// dashboards, runbooks). Unit tests: they read files of the repository and need no services.
module.exports = {
  ...require('../../jest.preset'),
  displayName: 'deploy-checks',
  // Compiling the Kubernetes manifests against the kubernetes-models types takes a few seconds.
  testTimeout: 60_000,
};
