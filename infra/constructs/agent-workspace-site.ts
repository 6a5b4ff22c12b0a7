/**
 * Hosting of the Agent Workspace app (agent-workspace/): a private S3 bucket (public access blocked, TLS
 * only, S3-managed encryption) read by CloudFront through Origin Access Control only
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html),
 * HTTPS only, security headers with a CSP whose frame-ancestors is the Connect instance's domain (the
 * Agent Workspace frames the app), and the agent API under /contacts/* on the same origin (no CORS). The
 * app is built at synth (agent-workspace/build.ts) and deployed with its config.json (BucketDeployment).
 * CloudFront's access logs and the bucket's server access logs go to a log bucket.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { relative } from 'node:path';
import { buildAgentWorkspace, WORKSPACE_ROOT } from '../../agent-workspace/build';
import { REPO_ROOT } from '../bundling/function-bundle';
import { builtAtSynth } from '../bundling/built-at-synth';

export interface AgentWorkspaceSiteProps {
  api: RestApi;
  apiStage: string;
  stage: string;
  /** The Connect instance's domain, the only page allowed to frame the app. */
  connectInstanceDomain: string;
  /** Where the app gets the agents' credentials (may be empty). */
  credentialsUrl: string;
  logRetentionDays: number;
}

/** The app's Content-Security-Policy: its own scripts, styles and API only; framed by the Connect instance only. */
export function workspaceContentSecurityPolicy(connectInstanceDomain: string, credentialsUrl: string): string {
  const credentialsOrigin = credentialsUrl ? ` ${new URL(credentialsUrl).origin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self'${credentialsOrigin}`,
    `frame-ancestors https://${connectInstanceDomain}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export class AgentWorkspaceSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: AgentWorkspaceSiteProps) {
    super(scope, id);
    // CloudFront standard logs are delivered with an ACL: the log bucket keeps ACLs for that writer only.
    const logs = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'assets-access/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `support-desk-agent-workspace-${props.stage}`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: workspaceContentSecurityPolicy(props.connectInstanceDomain, props.credentialsUrl),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        // No X-Frame-Options: it cannot name an allowed framer (ALLOW-FROM is obsolete); frame-ancestors does.
      },
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Support Desk Agent Workspace app (${props.stage})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        responseHeadersPolicy: headers,
        // Not cached at the edge: a deploy needs no invalidation (whose permission is on "*"), and the
        // app is a few requests per contact.
        cachePolicy: CachePolicy.CACHING_DISABLED,
      },
      additionalBehaviors: {
        // The agent API on the app's origin: requests are SigV4-signed for the API's host and stage path,
        // which is what API Gateway receives (every viewer header but Host forwarded; nothing cached).
        'contacts/*': {
          origin: new RestApiOrigin(props.api, { originPath: `/${props.apiStage}` }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    const region = Stack.of(this).region;
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        agentWorkspaceAsset(),
        Source.jsonData('config.json', {
          region,
          apiHost: `${props.api.restApiId}.execute-api.${region}.${Stack.of(this).urlSuffix}`,
          apiStage: props.apiStage,
          credentialsUrl: props.credentialsUrl,
        }),
      ],
      prune: true,
      memoryLimit: 256,
    });
    new CfnOutput(Stack.of(this), 'AgentWorkspaceUrl', {
      value: `https://${this.distribution.distributionDomainName}/index.html`,
      description: 'The Agent Workspace app: its access URL in the Connect console',
    });
  }
}

/** The app as built from its source at synth (builtAtSynth), esbuild on this machine. */
function agentWorkspaceAsset() {
  return Source.asset(
    REPO_ROOT,
    builtAtSynth(
      (outdir) => [
        'node',
        '--import',
        'tsx',
        '-e',
        `require('./${relative(REPO_ROOT, WORKSPACE_ROOT)}/build').buildAgentWorkspace('${outdir}')`,
      ],
      buildAgentWorkspace,
    ),
  );
}
