/**
 * Asset options for code the CDK app builds on this machine at synth, straight into the folder CDK stages the asset
 * in: hashed from what was built (as NodejsFunction hashes its bundle), so an unchanged build is not uploaded again; a
 * synth that skips bundling (the `aws:cdk:bundling-stacks` context) builds nothing. The image is never pulled: the
 * build runs here or fails the synth. `command` is the same build as the image would run it (the repository at
 * /asset-input, the output to /asset-output); CDK also keys its cache of bundled assets on it, so two assets with
 * different commands never share a build. Used by the functions (project-function.ts) and the Agent Workspace app.
 */
import { AssetHashType, DockerImage, type AssetOptions } from 'aws-cdk-lib';

export function builtAtSynth(command: (outdir: string) => string[], build: (outdir: string) => void): AssetOptions {
  return {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      workingDirectory: '/asset-input',
      command: command('/asset-output'),
      local: {
        tryBundle(outdir: string): boolean {
          build(outdir);
          return true;
        },
      },
    },
  };
}
