/* Search ranking for the book (loaded on the results page before Sphinx's
 * searchtools.js, which keeps a Scorer that is already defined).
 *
 * Sphinx's default ranks a match in an API object's name (11 + 15 for the object's
 * priority) above a chapter whose title holds the word (15), so "OLI" or
 * "readiness" listed functions before the chapters. Readers of this book look for the
 * chapters: every result on the API page (its objects and its text) ranks 30 lower; the weights are
 * otherwise Sphinx's own.
 */
var Scorer = {
  score: function (result) {
    // result: [docname, title, anchor, description, score, filename] (Sphinx 7.4)
    var docname = result[0], score = result[4];
    if (/(^|\/)reference\/api$/.test(docname)) return score - 30;
    return score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {0: 15, 1: 5, 2: -5},
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2
};
