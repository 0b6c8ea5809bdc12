export { toMatrix, allocLike, type Matrix, type MatrixInput, type NdArrayLike, type FloatArray } from './matrix.js';
export { takeColumns, putColumns } from './columns.js';
export { raggedFrom, raggedRows, concatArrays, type Ragged } from './ragged.js';
export { searchSorted } from './search-sorted.js';
export { toTypedJson, fromTypedJson } from './typed-json.js';
