// The contract's rule for batch files (../shared/forms/README.md §9): which pages make up which document.
import { describe, expect, it } from "vitest";
import { describePages, groupDocuments } from "../../../shared/extraction/batches.ts";

describe("groupDocuments", () => {
  it("starts a document at every form page; later non-form pages go with the form before them", () => {
    // fieldsample-10: form + ID copy, form, form + blank, form + blank.
    expect(groupDocuments([true, false, true, true, false, true, false])).toEqual([
      { pages: [0, 1], formPage: 0 },
      { pages: [2], formPage: 2 },
      { pages: [3, 4], formPage: 3 },
      { pages: [5, 6], formPage: 5 },
    ]);
  });

  it("gives non-form pages before the first form to the first form", () => {
    // fieldsample-13: cover letter + form + ID copy, form, form + ID copy.
    expect(groupDocuments([false, true, false, true, true, false])).toEqual([
      { pages: [0, 1, 2], formPage: 1 },
      { pages: [3], formPage: 3 },
      { pages: [4, 5], formPage: 4 },
    ]);
  });

  it("makes a file without a form one document without a form page", () => {
    expect(groupDocuments([false, false])).toEqual([{ pages: [0, 1], formPage: null }]);
    expect(groupDocuments([true])).toEqual([{ pages: [0], formPage: 0 }]);
  });
});

describe("describePages", () => {
  it("writes 1-based ranges and lists", () => {
    expect(describePages([0])).toBe("1");
    expect(describePages([3, 4, 5])).toBe("4–6");
    expect(describePages([0, 2])).toBe("1, 3");
  });
});
