// asl-validator ships no type declarations.
declare module "asl-validator" {
  interface AslValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface AslValidatorResult {
    isValid: boolean;
    errors: Array<{ message?: string }>;
    errorsText: (separator?: string) => string;
  }
  export default function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidatorResult;
}
