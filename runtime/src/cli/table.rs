//! Plain-text tables for the terminal: columns padded to their widest cell, two spaces apart.

use super::terminal_text::escaped;

/// Prints `header` and `rows` as a table on stdout; the last column is not padded. Cells are
/// stored data, so their control characters are escaped.
pub fn print(header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escaped(cell).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(index, (cell, width))| {
                if index == last {
                    (*cell).to_owned()
                } else {
                    format!("{cell:width$}")
                }
            })
            .collect();
        println!("{}", padded.join("  "));
    };
    line(header.to_vec());
    for row in &rows {
        line(row.iter().map(String::as_str).collect());
    }
}
