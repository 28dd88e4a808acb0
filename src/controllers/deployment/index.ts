// The Deployment controller.
export { DeploymentController } from './controller.ts';
export { computeHash } from './hash.ts';
