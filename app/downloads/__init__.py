"""Files prepared in the background for one person (photo ZIPs, portfolio exports), and where to fetch them."""
