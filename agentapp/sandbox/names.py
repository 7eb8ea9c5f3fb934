"""Plausible Indian first and last names for generated contacts."""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Aarav", "Aditi", "Aditya", "Akash", "Ananya", "Anil", "Anjali", "Ankit", "Arjun", "Asha",
    "Deepak", "Divya", "Gaurav", "Geeta", "Harish", "Isha", "Karan", "Kavya", "Lakshmi",
    "Manish", "Meera", "Mohit", "Nandini", "Neha", "Nikhil", "Pooja", "Pradeep", "Priya",
    "Rahul", "Rajesh", "Ramesh", "Ritu", "Rohit", "Sanjay", "Sapna", "Shreya", "Sneha",
    "Suresh", "Swati", "Tanvi", "Tarun", "Uma", "Varun", "Vikram", "Vinay", "Yash", "Zoya",
    "Farhan", "Imran", "Sana", "Harpreet", "Gurpreet", "Joseph", "Mary", "Lalit", "Bhavna",
)

LAST_NAMES: tuple[str, ...] = (
    "Sharma", "Verma", "Gupta", "Mehta", "Iyer", "Rao", "Reddy", "Nair", "Menon", "Pillai",
    "Patel", "Shah", "Desai", "Joshi", "Kulkarni", "Deshpande", "Singh", "Kaur", "Chopra",
    "Malhotra", "Kapoor", "Bose", "Banerjee", "Chatterjee", "Das", "Mukherjee", "Khan",
    "Qureshi", "Ansari", "Fernandes", "D'Souza", "Naidu", "Krishnan", "Subramanian", "Yadav",
    "Mishra", "Tiwari", "Pandey", "Agarwal", "Jain", "Bhat", "Hegde", "Saxena", "Chauhan",
)

COMPANIES: tuple[str, ...] = (
    "", "", "", "Sharma Traders", "Bharat Logistics", "Sunrise Textiles", "Ganesh Motors",
    "Lotus Healthcare", "Metro Realty", "Deccan Foods",
)
