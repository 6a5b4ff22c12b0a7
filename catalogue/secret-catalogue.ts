/** Secrets the product needs, declared once: CDK creates them in Secrets Manager, the twin in its own. */
export const CODE_PEPPER_SECRET_NAME = 'support-desk/code-pepper';
