// A received file as documents: every form page starts a document; non-form pages before the first form belong to
// the first form, later ones to the form before them; a file without a form page is one unrecognised document.
// Pure: no pixels, no I/O (the contract's rule, ../shared/forms/README.md §9).

export interface DocumentSpan {
  /** 0-based indexes of the file's pages that make up the document, in page order. */
  pages: number[];
  /** 0-based index of the document's form page, or null when the file holds no form. */
  formPage: number | null;
}

/** Splits a file's pages into documents from which pages are forms. */
export function groupDocuments(isForm: readonly boolean[]): DocumentSpan[] {
  const all = isForm.map((_, i) => i);
  const formPages = all.filter((i) => isForm[i]);
  if (formPages.length === 0) return [{ pages: all, formPage: null }];
  return formPages.map((formPage, k) => {
    const next = formPages[k + 1] ?? isForm.length;
    const from = k === 0 ? 0 : formPage;
    return { pages: all.slice(from, next), formPage };
  });
}

/** "1", "1–2" or "1, 3" (1-based) for messages and listings. */
export function describePages(pages: readonly number[]): string {
  if (pages.length === 0) return "";
  const first = (pages[0] as number) + 1;
  const last = (pages[pages.length - 1] as number) + 1;
  const consecutive = pages.every((p, i) => i === 0 || p === (pages[i - 1] as number) + 1);
  if (consecutive) return first === last ? `${first}` : `${first}–${last}`;
  return pages.map((p) => p + 1).join(", ");
}
