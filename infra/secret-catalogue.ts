/** Secrets the product needs, declared once: CDK creates them in Secrets Manager, the twin in its own. */
export const CODE_PEPPER_SECRET_NAME = 'support-desk/code-pepper';

/** Sender of the product's emails (the SES identity in AWS comes from deployment config). */
export const DEFAULT_EMAIL_FROM = 'Support Desk <no-reply@support-desk.example.com>';
