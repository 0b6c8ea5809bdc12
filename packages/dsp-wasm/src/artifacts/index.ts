export { detectLfpArtifacts, type ArtifactOptions, type ArtifactResult } from './detect-artifacts.js';
