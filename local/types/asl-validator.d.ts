// asl-validator ships no type declarations; this is the part of its API the project uses.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<Record<string, string>>;
    errorsText(separator?: string): string;
  }
  function aslValidator(definition: unknown): ValidationResult;
  export default aslValidator;
}
